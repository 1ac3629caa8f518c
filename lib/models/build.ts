/**
 * Creates the SQL models in the database: views for staging, materialized
 * views (with the unique index REFRESH CONCURRENTLY needs) for marts, and the
 * descriptions from schema.json as COMMENTs, so `\d+` in psql shows them too.
 *
 * Idempotent and safe when several processes start at once: under an
 * advisory lock, the models are rebuilt only when their definitions' hash
 * differs from the build recorded in `model_builds`.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import { logger } from "../log.ts";
import {
  loadModels,
  type Model,
  ModelError,
  type ModelProject,
} from "./schema.ts";

const log = logger("models");
const LOCK_KEY = 0x6d6f646c; // "modl"

interface Built {
  name: string;
  materialized: Model["materialized"];
}

async function dropModels(tx: TransactionSql, names: string[]): Promise<void> {
  const found = await tx<{ relname: string; relkind: string }[]>`
    select c.relname, c.relkind::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'ecommerce' and c.relname = any(${names}::text[]) and c.relkind in ('v', 'm')`;
  for (const f of found) {
    const kind = f.relkind === "m" ? "materialized view" : "view";
    // Names come from pg_class and were validated identifiers when created.
    await tx.unsafe(`drop ${kind} if exists ${f.relname} cascade`);
  }
}

async function comment(
  tx: TransactionSql,
  m: Model,
): Promise<void> {
  const kind = m.materialized === "view" ? "view" : "materialized view";
  // format() quotes on the server, so descriptions stay parameters here.
  const stmts = await tx<{ s: string }[]>`
    select format('comment on ' || ${kind} || ' %I is %L', ${m.name}::text, ${m.description}::text) as s
    union all
    select format('comment on column %I.%I is %L', ${m.name}::text, c, d)
    from unnest(${Object.keys(m.columns)}::text[], ${
    Object.values(m.columns).map((c) => c.description)
  }::text[]) as t(c, d)`;
  for (const { s } of stmts) await tx.unsafe(s);
}

async function checkColumns(tx: TransactionSql, m: Model): Promise<void> {
  const rows = await tx<{ attname: string }[]>`
    select attname from pg_attribute
    where attrelid = ${`ecommerce.${m.name}`}::regclass and attnum > 0 and not attisdropped
    order by attnum`;
  const actual = rows.map((r) => r.attname);
  const documented = Object.keys(m.columns);
  const undocumented = actual.filter((c) => !documented.includes(c));
  const missing = documented.filter((c) => !actual.includes(c));
  if (undocumented.length || missing.length) {
    throw new ModelError(
      `Model "${m.name}" does not match sql/models/schema.json: ${
        undocumented.length
          ? `columns without a description: ${undocumented.join(", ")}`
          : ""
      }${undocumented.length && missing.length ? "; " : ""}${
        missing.length
          ? `described columns the model does not have: ${missing.join(", ")}`
          : ""
      }`,
    );
  }
}

async function createModel(tx: TransactionSql, m: Model): Promise<void> {
  // Model names and SQL are files of this repository, validated on load.
  if (m.materialized === "view") {
    await tx.unsafe(`create view ${m.name} as\n${m.sql}`);
  } else {
    await tx.unsafe(`create materialized view ${m.name} as\n${m.sql}`);
    await tx.unsafe(
      `create unique index ${m.name}_key on ${m.name} (${
        m.unique_key!.join(", ")
      })`,
    );
  }
  await checkColumns(tx, m);
  await comment(tx, m);
}

/**
 * Brings the models in the database up to date with `sql/models/`; returns
 * whether it (re)built them. Expects the migrations to have been applied.
 */
export async function ensureModels(
  sql: Sql,
  project?: ModelProject,
): Promise<{ built: boolean; models: number }> {
  const p = project ?? await loadModels();
  const t0 = performance.now();
  const built = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`set local search_path = ecommerce, public`;
    const [prev] = await tx<{ hash: string; models: Built[] }[]>`
      select hash, models from model_builds`;
    const names = p.models.map((m) => m.name);
    const [{ present }] = await tx<[{ present: number }]>`
      select count(*)::int as present from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'ecommerce' and c.relname = any(${names}::text[]) and c.relkind in ('v', 'm')`;
    if (prev?.hash === p.hash && present === names.length) return false;
    // An unreadable list (a hand-edited row) only means nothing extra to drop.
    const old = Array.isArray(prev?.models)
      ? prev.models.map((m) => m.name)
      : [];
    await dropModels(tx, [...new Set([...old, ...names])].reverse());
    for (const m of p.models) await createModel(tx, m);
    const kinds = p.models.map((m) => m.materialized);
    await tx`
      insert into model_builds (id, hash, models)
      values (true, ${p.hash}, (
        select jsonb_agg(jsonb_build_object('name', n, 'materialized', k) order by i)
        from unnest(${names}::text[], ${kinds}::text[]) with ordinality as t(n, k, i)))
      on conflict (id) do update set hash = excluded.hash, models = excluded.models, built_at = now()`;
    return true;
  });
  if (built) {
    log.info("models built", {
      models: p.models.length,
      ms: Math.round(performance.now() - t0),
    });
  }
  return { built, models: p.models.length };
}
