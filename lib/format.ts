/**
 * Number formatting for pages, islands and alert messages: every figure carries its unit.
 * The shop prices in US dollars (the catalogue's list prices are USD).
 */
const usd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
});
const usd0 = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});
const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const dec1 = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** `$1,234.56` (or `—` when unknown). */
export const money = (n: number | null | undefined): string =>
  n == null ? "—" : usd.format(n);
/** `$1,235`, for axis labels and big totals. */
export const money0 = (n: number | null | undefined): string =>
  n == null ? "—" : usd0.format(n);
/** `1,234`. */
export const count = (n: number | null | undefined): string =>
  n == null ? "—" : int.format(n);
/** A fraction as a percentage: 0.123 → `12.3 %`. */
export const percent = (f: number | null | undefined): string =>
  f == null ? "—" : `${dec1.format(f * 100)} %`;
/** A value already × 100, signed: 4.2 → `+4.2 %`. */
export const signedPct = (p: number | null | undefined): string => {
  if (p == null) return "—";
  const r = Math.round(p * 10) / 10; // no "−0.0 %"
  return `${r > 0 ? "+" : r < 0 ? "−" : ""}${dec1.format(Math.abs(r))} %`;
};
/** One decimal with a unit: `3.0 /h`. */
export const rate = (n: number | null | undefined, unit: string): string =>
  n == null ? "—" : `${dec1.format(n)} ${unit}`;

/** `14:03:27` in UTC, the platform's clock. */
export const clock = (d: Date): string => d.toISOString().slice(11, 19);
/** `2026-11-25 14:03 UTC`. */
export const stamp = (d: Date): string =>
  `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
