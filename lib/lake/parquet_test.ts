import {
  deepStrictEqual as assertEquals,
  throws as assertThrows,
} from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { encodeParquet, utf8Column } from "./parquet.ts";
import { streamByName } from "./streams.ts";
import { duckQuery } from "./duckdb.ts";

const click = streamByName("clickstream_events");
// Values as the exporter reads them: 64-bit values as decimal strings.
const rows = [
  [
    "6f1c0d7e-0000-4000-8000-000000000001",
    "user_1",
    "6f1c0d7e-0000-4000-8000-0000000000a1",
    "purchase",
    "P0001",
    "Läufer ☕",
    "shoes",
    "1999",
    "1763980200123456",
    "mobile",
    "1763980201000000",
    "41",
  ],
  [
    "6f1c0d7e-0000-4000-8000-000000000002",
    "user_2",
    "6f1c0d7e-0000-4000-8000-0000000000a2",
    "page_view",
    null,
    null,
    null,
    null,
    "1763980200123456",
    "desktop",
    "1763980201000001",
    "42",
  ],
];

async function withFile(
  bytes: Uint8Array,
  fn: (path: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "part.parquet");
    await Deno.writeFile(path, bytes);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("parquet - columns have explicit types that DuckDB reads as timestamps, decimals and strings", async () => {
  await withFile(encodeParquet(click, rows), async (path) => {
    const types = await duckQuery(
      `select column_name, column_type from (describe select * from read_parquet('${path}'))`,
    );
    const byName = Object.fromEntries(
      types.map((t) => [t.column_name, t.column_type]),
    );
    assertEquals(byName.event_id, "VARCHAR");
    assertEquals(byName.product_price, "DECIMAL(12,2)");
    assertEquals(byName.timestamp, "TIMESTAMP WITH TIME ZONE");
    assertEquals(byName.lake_seq, "BIGINT");
  });
});

Deno.test("parquet - values round-trip exactly: microseconds, cents, nulls and non-ASCII text", async () => {
  await withFile(encodeParquet(click, rows), async (path) => {
    const back = await duckQuery(
      `select event_id, product_name, product_price::varchar as price, epoch_us("timestamp")::varchar as us,
         lake_seq::varchar as seq from read_parquet('${path}') order by lake_seq`,
    );
    assertEquals(back, [
      {
        event_id: rows[0]![0],
        product_name: "Läufer ☕",
        price: "19.99",
        us: "1763980200123456",
        seq: "41",
      },
      {
        event_id: rows[1]![0],
        product_name: null,
        price: null,
        us: "1763980200123456",
        seq: "42",
      },
    ]);
  });
});

Deno.test("parquet - files are zstd-compressed with min/max statistics per column chunk, none for uuids", async () => {
  await withFile(encodeParquet(click, rows), async (path) => {
    const meta = await duckQuery(
      `select path_in_schema as col, compression, stats_min_value as min, stats_max_value as max
       from parquet_metadata('${path}')
       where path_in_schema in ('lake_seq', 'event_type', 'event_id') order by col`,
    );
    assertEquals(meta.map((m) => [m.col, m.compression]), [
      ["event_id", "ZSTD"],
      ["event_type", "ZSTD"],
      ["lake_seq", "ZSTD"],
    ]);
    const seq = meta.find((m) => m.col === "lake_seq")!;
    assertEquals([seq.min, seq.max], ["41", "42"]);
    const type = meta.find((m) => m.col === "event_type")!;
    assertEquals([type.min, type.max], ["page_view", "purchase"]);
    const id = meta.find((m) => m.col === "event_id")!;
    assertEquals([id.min, id.max], [null, null]);
  });
});

Deno.test("parquet - a null in a required column is refused, naming the stream and the column", () => {
  for (const at of [0, 1, 8, 11]) { // an id, a string, a timestamp, lake_seq
    const bad = rows.map((r) => [...r]);
    bad[1]![at] = null;
    assertThrows(
      () => encodeParquet(click, bad),
      new RegExp(
        `^Error: Cannot export clickstream_events: column "${
          click.columns[at]!.name
        }" holds a null, but the lake declares it required`,
      ),
    );
  }
});

Deno.test("parquet - a string column's bytes are each value's UTF-8, ASCII or not", () => {
  const utf8 = new TextEncoder();
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.uuid(), fc.string({ unit: "grapheme" }))),
      (values) => {
        const bytes = utf8Column(values);
        assertEquals(bytes, values.map((v) => utf8.encode(v)));
      },
    ),
  );
});
