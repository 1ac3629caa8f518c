/**
 * Island props travel from the server to the browser as JSON text. JSON has
 * no Date, so special values are tagged: `{"$t": "Date", "v": "<iso>"}`. A
 * plain object that happens to own a `$t` key is wrapped the same way, so
 * every value decodes to exactly what was encoded. Shipped to the browser.
 */

type Tagged = { $t: string; v: unknown };

function encode(value: unknown, path: string): unknown {
  if (
    value === null || typeof value === "string" || typeof value === "boolean"
  ) {
    return value;
  }
  if (typeof value === "number") {
    return Number.isFinite(value) ? value : { $t: "Number", v: String(value) };
  }
  if (value === undefined) return { $t: "Undefined", v: null };
  if (value instanceof Date) {
    return {
      $t: "Date",
      v: Number.isNaN(value.getTime()) ? null : value.toISOString(),
    };
  }
  if (Array.isArray(value)) {
    return value.map((x, i) => encode(x, `${path}[${i}]`));
  }
  if (
    typeof value === "object" &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = encode(v, `${path}.${k}`);
    }
    return "$t" in out ? { $t: "Object", v: out } : out;
  }
  throw new TypeError(
    `Cannot serialize island prop "${path}": ${
      typeof value === "object"
        ? "only plain objects, arrays and dates"
        : `type "${typeof value}"`
    } can be sent to the browser`,
  );
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decode);
  const obj = value as Record<string, unknown>;
  if ("$t" in obj) {
    const { $t, v } = obj as Tagged;
    switch ($t) {
      case "Date":
        return new Date(v === null ? NaN : String(v));
      case "Undefined":
        return undefined;
      case "Number":
        return Number(v);
      case "Object":
        return decodeEntries(v as Record<string, unknown>);
      default:
        throw new TypeError(
          `Cannot deserialize island props: unknown tag "${$t}"`,
        );
    }
  }
  return decodeEntries(obj);
}

function decodeEntries(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = decode(v);
  return out;
}

/** Encodes island props as JSON text; throws naming the prop that cannot travel. */
export function serializeProps(props: Record<string, unknown>): string {
  return JSON.stringify(encode(props, "props"));
}

/** Decodes what {@linkcode serializeProps} produced. */
export function deserializeProps(text: string): Record<string, unknown> {
  return decode(JSON.parse(text)) as Record<string, unknown>;
}
