/**
 * Measurements taken inside the page (passed to `page.evaluate`): what
 * overflows sideways, whether tables keep their first column in view, chart
 * labels that leave their SVG or render under 11 px, and the contrast of
 * every piece of visible text against what is behind it (WCAG 2.x relative
 * luminance, semi-transparent backgrounds composited).
 */

/**
 * Sideways scrolling that is not a table frame saying it scrolls, frames that
 * say so but fit, and first columns that scroll out of view. Waits two
 * frames first: a frame's scroll timeline (its hint) follows the layout.
 */
export async function overflowProblems(): Promise<string[]> {
  await new Promise((r) =>
    requestAnimationFrame(() => requestAnimationFrame(r))
  );
  const out: string[] = [];
  const page = document.documentElement.scrollWidth - innerWidth;
  if (page > 0) out.push(`the page scrolls ${page}px sideways`);
  for (const el of document.querySelectorAll<HTMLElement>(".table-wrap")) {
    const hint = el.querySelector<HTMLElement>(":scope > .scroll-hint");
    if (el.scrollWidth <= el.clientWidth + 1) {
      if (hint && hint.getBoundingClientRect().height > 0) {
        out.push(`${el.getAttribute("aria-label")}: says it scrolls but fits`);
      }
      continue;
    }
    if (!hint || hint.getBoundingClientRect().height === 0) {
      out.push(`${el.getAttribute("aria-label")}: scrolls without saying so`);
    }
    // Scrolled to the far end, the first column must still be in view.
    el.scrollLeft = el.scrollWidth;
    const box = el.getBoundingClientRect();
    for (const cell of el.querySelectorAll<HTMLElement>("tr > :first-child")) {
      const r = cell.getBoundingClientRect();
      if (r.width > 0 && r.left < box.left - 1) {
        out.push(
          `${el.getAttribute("aria-label")}: the first column scrolls away`,
        );
        break;
      }
    }
    el.scrollLeft = 0;
  }
  return out;
}

/** Chart text outside its SVG, or smaller than 11 px on screen. */
export function chartTextProblems(): string[] {
  const out: string[] = [];
  for (const t of document.querySelectorAll<SVGTextElement>("svg text")) {
    const svg = t.ownerSVGElement!;
    const r = t.getBoundingClientRect(), s = svg.getBoundingClientRect();
    if (r.width === 0 || getComputedStyle(t).display === "none") continue;
    const label = `"${t.textContent}"`;
    if (
      r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 ||
      r.bottom > s.bottom + 1
    ) out.push(`${label} is cut off by its chart`);
    const scale = svg.getScreenCTM()?.a ?? 1;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < 11) out.push(`${label} renders at ${px.toFixed(1)} px`);
  }
  for (
    const th of document.querySelectorAll<HTMLElement>("table.bar-chart th")
  ) {
    if (th.scrollWidth > th.clientWidth + 1) {
      out.push(`bar label "${th.textContent}" is cut off`);
    }
  }
  return out;
}

/** The lowest contrast per text style on the page: `{style: [ratio, large, sample]}`. */
export function contrastByStyle(): Record<string, [number, boolean, string]> {
  const parse = (c: string): number[] => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a] = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
    return [r!, g!, b!, a ?? 1];
  };
  const over = (top: number[], bottom: number[]) =>
    [0, 1, 2].map((i) => top[i]! * top[3]! + bottom[i]! * (1 - top[3]!))
      .concat(1);
  const background = (el: Element): number[] => {
    const layers: number[][] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3]! > 0) layers.push(bg);
      if (bg[3]! >= 1) break;
    }
    return layers.reverse().reduce((c, l) => over(l, c), [255, 255, 255, 1]);
  };
  const lum = (c: number[]) => {
    const f = (v: number) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c[0]!) + 0.7152 * f(c[1]!) + 0.0722 * f(c[2]!);
  };
  const out: Record<string, [number, boolean, string]> = {};
  for (const el of document.querySelectorAll<Element>("body *")) {
    const own = [...el.childNodes].some((n) =>
      n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ""
    );
    if (!own || el.closest(".sr-only, title, option, script, style")) continue;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || cs.visibility !== "visible") continue;
    const bg = background(el);
    const fg = over(
      parse(el instanceof SVGElement ? cs.fill : cs.color),
      bg,
    );
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = Math.round((a! + 0.05) / (b! + 0.05) * 100) / 100;
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    const parent = el.parentElement?.classList[0];
    const key = `${el.tagName.toLowerCase()}${
      [...el.classList].map((c) => `.${c}`).join("")
    }${parent ? ` in .${parent}` : ""}`;
    if (!out[key] || ratio < out[key]![0]) {
      out[key] = [ratio, large, el.textContent!.trim().slice(0, 30)];
    }
  }
  return out;
}
