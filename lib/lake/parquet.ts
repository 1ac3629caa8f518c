/**
 * Rows of one stream -> one Parquet file (hyparquet-writer): explicit schema,
 * zstd compression, column statistics on, row groups of
 * {@linkcode ROW_GROUP_ROWS} rows.
 */
import { constants, zstdCompressSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { LakeColumn, LakeStream } from "./streams.ts";

/**
 * Pages are compressed with zstd at level 1 (native, in Deno's node:zlib)
 * rather than the writer's own snappy (JavaScript): measured on click rows,
 * the files are half the size (the uuids' hex text compresses by half under
 * zstd, hardly at all under snappy) and the encoding is a third faster.
 * Every Parquet reader of note (DuckDB, Spark, Arrow, Polars) reads zstd.
 */
const ZSTD_LEVEL = 1;

function zstd(bytes: Uint8Array): Uint8Array {
  return zstdCompressSync(bytes, {
    params: { [constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL },
  });
}

/**
 * Rows per row group: 100k rows is a few MB per column chunk once
 * compressed, large enough for efficient scans and small enough that the
 * min/max statistics of each group let DuckDB skip groups on a filter.
 */
export const ROW_GROUP_ROWS = 100_000;

type SchemaElement = NonNullable<
  Parameters<typeof parquetWriteBuffer>[0]["schema"]
>[number];

/** The Parquet schema element of one column. */
export function columnSchema(c: LakeColumn): SchemaElement {
  const base = {
    name: c.name,
    repetition_type: c.nullable ? "OPTIONAL" : "REQUIRED",
  } as const;
  switch (c.type.kind) {
    case "string":
      return {
        ...base,
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        logical_type: { type: "STRING" },
      };
    case "int32":
      return { ...base, type: "INT32" };
    case "int64":
      return { ...base, type: "INT64" };
    case "bool":
      return { ...base, type: "BOOLEAN" };
    case "timestamp":
      return {
        ...base,
        type: "INT64",
        converted_type: "TIMESTAMP_MICROS",
        logical_type: {
          type: "TIMESTAMP",
          isAdjustedToUTC: true,
          unit: "MICROS",
        },
      };
    case "decimal": {
      const { precision, scale } = c.type;
      return {
        ...base,
        type: "INT64",
        converted_type: "DECIMAL",
        precision,
        scale,
        logical_type: { type: "DECIMAL", precision, scale },
      };
    }
  }
}

const needsBigInt = (c: LakeColumn) =>
  c.type.kind === "int64" || c.type.kind === "timestamp" ||
  c.type.kind === "decimal";

const utf8 = new TextEncoder();

/**
 * The error for a null in a column the lake declares required: the streams'
 * types drifted from their tables' (tests/lake_schema_test.ts holds them equal).
 */
function requiredNull(stream: LakeStream, c: LakeColumn): Error {
  return new Error(
    `Cannot export ${stream.name}: column "${c.name}" holds a null, but the lake declares it required (lib/lake/streams.ts)`,
  );
}

/**
 * A column of non-null strings as UTF-8 byte arrays: views into one buffer,
 * encoded by one call when the column is ASCII (uuids always are), rather
 * than one encoder call and one buffer per value.
 */
export function utf8Column(values: readonly string[]): Uint8Array[] {
  const joined = values.join("");
  const bytes = utf8.encode(joined);
  if (bytes.length !== joined.length) return values.map((v) => utf8.encode(v));
  // All ASCII: each string's bytes are as many as its characters.
  const out = new Array<Uint8Array>(values.length);
  let at = 0;
  for (let r = 0; r < values.length; r++) {
    const end = at + values[r]!.length;
    out[r] = bytes.subarray(at, end);
    at = end;
  }
  return out;
}

/** One column's values in the fastest form the writer takes; a null where none may be throws. */
function columnValues(
  stream: LakeStream,
  c: LakeColumn,
  i: number,
  rows: readonly (readonly unknown[])[],
): unknown[] | BigInt64Array {
  const n = rows.length;
  if (needsBigInt(c) && !c.nullable) {
    const out = new BigInt64Array(n);
    for (let r = 0; r < n; r++) {
      const v = rows[r]![i];
      if (v === null || v === undefined) throw requiredNull(stream, c);
      out[r] = BigInt(v as string);
    }
    return out;
  }
  const out = new Array(n);
  for (let r = 0; r < n; r++) {
    const v = rows[r]![i];
    if (v === null || v === undefined) {
      if (!c.nullable) throw requiredNull(stream, c);
      out[r] = null;
    } else if (needsBigInt(c)) out[r] = BigInt(v as string);
    else out[r] = v;
  }
  // Bytes, not strings, for the uuids the writer stores plain: it would
  // otherwise encode each value on its own.
  return c.unique && !c.nullable ? utf8Column(out) : out;
}

/**
 * Encodes rows (arrays of values in the stream's column order, as read by
 * the exporter: 64-bit values as decimal strings) into a Parquet file.
 */
export function encodeParquet(
  stream: LakeStream,
  rows: readonly (readonly unknown[])[],
): Uint8Array {
  const columnData = stream.columns.map((c, i) => ({
    name: c.name,
    data: columnValues(stream, c, i, rows),
    nullable: c.nullable,
    // Min/max of random uuids would let no reader skip anything.
    ...(c.unique ? { encoding: "PLAIN" as const, statistics: false } : {}),
  }));
  const buf = parquetWriteBuffer({
    columnData,
    schema: [
      { name: "root", num_children: stream.columns.length },
      ...stream.columns.map(columnSchema),
    ],
    codec: "ZSTD",
    compressors: { ZSTD: zstd },
    statistics: true,
    rowGroupSize: ROW_GROUP_ROWS,
    createdBy: "pricing-platform lake export (hyparquet-writer 0.17.0)",
    kvMetadata: [{ key: "stream", value: stream.name }],
  });
  return new Uint8Array(buf);
}
