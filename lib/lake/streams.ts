/**
 * The streams the lake holds: one table each, with the Parquet type of every
 * column. Types are explicit: timestamps are TIMESTAMP(MICROS, UTC), prices
 * and ratios are DECIMAL with the database's precision and scale (exact:
 * sums in DuckDB equal the database's to the cent), ids are strings; run_id
 * stays INT64 because it is a run number that orders runs.
 */

/** A Parquet column type, as written by {@linkcode columnSchema}. */
export type LakeType =
  | { kind: "string" }
  | { kind: "int32" }
  | { kind: "int64" }
  | { kind: "bool" }
  | { kind: "timestamp" }
  | { kind: "decimal"; precision: number; scale: number };

export interface LakeColumn {
  /** Column name in the table and in the Parquet file. */
  name: string;
  type: LakeType;
  nullable: boolean;
  /**
   * Nearly every value distinct (uuids): written PLAIN, since a dictionary
   * would not shrink it and trying one costs most of the encoding time.
   */
  unique?: boolean;
}

export interface LakeStream {
  /** Stream name: the table name and the lake folder. */
  name: string;
  /** Column whose UTC date is the `date=` partition. */
  dateColumn: string;
  columns: LakeColumn[];
}

const S = { kind: "string" } as const;
const I32 = { kind: "int32" } as const;
const I64 = { kind: "int64" } as const;
const BOOL = { kind: "bool" } as const;
const TS = { kind: "timestamp" } as const;
const MONEY = { kind: "decimal", precision: 12, scale: 2 } as const;
const PCT = { kind: "decimal", precision: 10, scale: 4 } as const;

const col = (
  name: string,
  type: LakeType,
  nullable = false,
): LakeColumn => ({ name, type, nullable });
const uid = (name: string): LakeColumn => ({ ...col(name, S), unique: true });

/** Every exported stream, in export order. */
export const STREAMS: readonly LakeStream[] = [
  {
    name: "clickstream_events",
    dateColumn: "timestamp",
    columns: [
      uid("event_id"),
      col("user_id", S),
      uid("session_id"),
      col("event_type", S),
      col("product_id", S, true),
      col("product_name", S, true),
      col("product_category", S, true),
      col("product_price", MONEY, true),
      col("timestamp", TS),
      col("device_type", S),
      col("ingested_at", TS),
      col("lake_seq", I64),
    ],
  },
  {
    name: "inventory_events",
    dateColumn: "timestamp",
    columns: [
      uid("event_id"),
      col("product_id", S),
      col("warehouse_id", S),
      col("event_type", S),
      col("quantity_change", I32),
      col("applied", BOOL),
      col("stock_after", I32, true),
      col("refusal_reason", S, true),
      col("timestamp", TS),
      col("ingested_at", TS),
      col("kafka_partition", I32, true),
      col("kafka_offset", I64, true),
      col("lake_seq", I64),
    ],
  },
  {
    name: "competitor_price_history",
    dateColumn: "timestamp",
    columns: [
      uid("event_id"),
      col("product_id", S),
      col("competitor_name", S),
      col("competitor_price", MONEY),
      col("our_price", MONEY),
      col("price_difference", MONEY),
      col("price_difference_pct", PCT),
      col("timestamp", TS),
      col("ingested_at", TS),
      col("lake_seq", I64),
    ],
  },
  {
    name: "pricing_recommendation_history",
    dateColumn: "created_at",
    columns: [
      col("run_id", I64),
      col("product_id", S),
      col("current_price", MONEY),
      // Null where the engine used no competitor price.
      col("avg_competitor_price", MONEY, true),
      col("demand_velocity", MONEY),
      col("price_gap_pct", { kind: "decimal", precision: 12, scale: 4 }, true),
      col("recommendation", S),
      col("confidence_score", { kind: "decimal", precision: 5, scale: 4 }),
      col("recommended_price", MONEY),
      col("created_at", TS),
      col("lake_seq", I64),
    ],
  },
];

/** Finds a stream by name, or throws naming the known ones. */
export function streamByName(name: string): LakeStream {
  const s = STREAMS.find((s) => s.name === name);
  if (!s) {
    throw new Error(
      `Unknown lake stream "${name}", expected one of ${
        STREAMS.map((s) => s.name).join(", ")
      }`,
    );
  }
  return s;
}

const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;

/**
 * The SQL expression that reads a column in the form the Parquet writer
 * takes: 64-bit values (timestamps in microseconds, decimals unscaled) as
 * int8, which postgres.js hands over as exact strings.
 */
export function selectExpression(c: LakeColumn): string {
  const q = quote(c.name);
  switch (c.type.kind) {
    case "string":
      return `${q}::text`;
    case "int32":
    case "bool":
      return q;
    case "int64":
      return `${q}::int8`;
    case "timestamp":
      return `(extract(epoch from ${q}) * 1000000)::int8`;
    case "decimal":
      return `(${q} * ${10 ** c.type.scale})::int8`;
  }
}

/** The expression of a stream's partition date (UTC), as YYYY-MM-DD text. */
export function dateExpression(s: LakeStream): string {
  return `to_char((${
    quote(s.dateColumn)
  } at time zone 'UTC')::date, 'YYYY-MM-DD')`;
}
