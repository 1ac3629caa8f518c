/**
 * Array parameters that do not depend on postgres.js having fetched the
 * server's array types.
 *
 * postgres.js serialises a JS array sent to an array-typed parameter
 * (`${ids}::int[]`) with a serializer it installs only once a connection of
 * the pool has read `pg_type`. When that read is cut off (a connection killed
 * while a renewed pool opens) and the pool's connections stay open, the pool
 * goes on without them and sends every array as `'' + xs`, "0,1", which
 * PostgreSQL refuses ("malformed array literal") on every retry, for good.
 * The serializers here are installed with the pool, so the array types the
 * platform sends always have one; a later fetch of the types replaces them
 * with its own, which write the same literals.
 */

/**
 * Array types the platform sends as parameters, by name, with their OIDs
 * (stable built-ins). Booleans and dates go as strings or not at all: a JS
 * array of them declares the element type, not the array.
 */
export const ARRAY_OIDS = {
  int2: 1005,
  int4: 1007,
  text: 1009,
  varchar: 1015,
  int8: 1016,
  float8: 1022,
  date: 1182,
  timestamptz: 1185,
  numeric: 1231,
  uuid: 2951,
} as const;

function element(x: unknown): string {
  if (x instanceof Date) return x.toISOString();
  switch (typeof x) {
    case "string":
      return x;
    case "number":
    case "bigint":
    case "boolean":
      return String(x);
    default:
      throw new TypeError(
        `Cannot send ${
          x === undefined ? "undefined" : typeof x
        } in an array parameter: expected strings, numbers, booleans, dates or null`,
      );
  }
}

/**
 * The PostgreSQL array literal of `xs`: every element quoted (a quoted
 * element is valid for every element type), `"` and `\` escaped, null as
 * NULL, nested arrays as dimensions.
 */
export function arrayLiteral(xs: unknown): string {
  if (!Array.isArray(xs)) return element(xs);
  return "{" +
    xs.map((x) =>
      x === null
        ? "NULL"
        : Array.isArray(x)
        ? arrayLiteral(x)
        : '"' + element(x).replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"'
    ).join(",") + "}";
}

/** The `types` option of postgres.js that installs {@linkcode arrayLiteral} for {@linkcode ARRAY_OIDS}. */
export const arrayTypes = Object.fromEntries(
  Object.entries(ARRAY_OIDS).map(([name, oid]) => [
    `${name}_array_param`,
    // No `from`: results keep postgres.js's own array parsers.
    { to: oid, from: [] as number[], serialize: arrayLiteral, parse: String },
  ]),
);
