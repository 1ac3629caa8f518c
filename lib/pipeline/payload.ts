/**
 * A rejected event's payload, made safe to look at. The page escapes HTML
 * (Preact renders text, never markup); this is about what the eye sees: the
 * payload is cut to a few hundred characters (whole code points, never half
 * a surrogate pair), and characters that are invisible or that reorder text
 * (controls, NUL, zero-width, bidi overrides such as U+202E) are written as
 * visible escapes, so a payload cannot hide or disguise its content.
 */

/** Controls, zero-width and bidi formatting characters (Unicode Cc and the common Cf). */
const HIDDEN =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

export interface ShownPayload {
  text: string;
  /** Characters (code points) of the whole payload. */
  length: number;
  truncated: boolean;
}

/** `raw` cut to `max` code points, hidden characters escaped as `\u{…}`, line breaks as ⏎. */
export function showPayload(raw: string, max = 240): ShownPayload {
  const chars = [...raw];
  const cut = chars.slice(0, max).join("");
  const text = cut
    .replace(/\r?\n|\r|\t/g, (m) => (m === "\t" ? "⇥" : "⏎"))
    .replace(
      HIDDEN,
      (c) => `\\u{${c.codePointAt(0)!.toString(16).padStart(4, "0")}}`,
    );
  return { text, length: chars.length, truncated: chars.length > max };
}
