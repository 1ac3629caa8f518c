/**
 * Rows of one stream -> one Parquet file (hyparquet-writer): explicit schema,
 * snappy compression, column statistics on, row groups of
 * {@linkcode ROW_GROUP_ROWS} rows.
 */
import { parquetWriteBuffer } from "hyparquet-writer";
import type { LakeColumn, LakeStream } from "./streams.ts";

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
    // Bytes, not strings: the writer's statistics then compare bytes, which
    // is several times faster than its code-point string comparison.
    else if (c.unique) out[r] = utf8.encode(v as string);
    else out[r] = v;
  }
  return out;
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
    ...(c.unique ? { encoding: "PLAIN" as const } : {}),
  }));
  const buf = parquetWriteBuffer({
    columnData,
    schema: [
      { name: "root", num_children: stream.columns.length },
      ...stream.columns.map(columnSchema),
    ],
    codec: "SNAPPY",
    statistics: true,
    rowGroupSize: ROW_GROUP_ROWS,
    createdBy: "pricing-platform lake export (hyparquet-writer 0.17.0)",
    kvMetadata: [{ key: "stream", value: stream.name }],
  });
  return new Uint8Array(buf);
}
