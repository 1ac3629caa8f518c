/**
 * Schema tests (not_null, unique, accepted_values, relationships) from
 * sql/models/schema.json, turned into quality checks: the same runner,
 * report and storage serve `deno task models:test` and `deno task quality`.
 */
import { type Check, lit, NONE, offending } from "./check.ts";
import type { ColumnTest, Model, ModelProject } from "../models/schema.ts";

const GROUP = "models";

function notNull(m: Model, col: string): Check {
  return {
    name: `${GROUP}.${m.name}.${col}.not_null`,
    group: GROUP,
    description: `Schema test: ${m.name}.${col} is never null (${
      m.columns[col]?.description
    })`,
    severity: "error",
    sql: `
select count(*) as value,
       case when count(*) > 0 then count(*) || ' rows where ${col} is null' end as detail
from ${m.name} where ${col} is null`,
    expect: NONE,
  };
}

function unique(m: Model, cols: string[]): Check {
  const key = cols.length === 1
    ? `${cols[0]}::text`
    : `concat_ws(' / ', ${cols.map((c) => `${c}::text`).join(", ")})`;
  return {
    name: `${GROUP}.${m.name}.${cols.join("+")}.unique`,
    group: GROUP,
    description: `Schema test: ${m.name} has at most one row per ${
      cols.join(" x ")
    } (its grain; a join that fans out would break it)`,
    severity: "error",
    sql: offending(`
select ${key} || ' (' || count(*) || ' rows)' as item
from ${m.name} where ${cols.map((c) => `${c} is not null`).join(" and ")}
group by ${cols.join(", ")} having count(*) > 1`),
    expect: NONE,
  };
}

function acceptedValues(
  m: Model,
  col: string,
  values: (string | number)[],
): Check {
  return {
    name: `${GROUP}.${m.name}.${col}.accepted_values`,
    group: GROUP,
    description: `Schema test: ${m.name}.${col} only holds ${
      values.join(", ")
    } (${m.columns[col]?.description})`,
    severity: "error",
    sql: offending(`
select ${col}::text || ' (' || count(*) || ' rows)' as item
from ${m.name}
where ${col} is not null and ${col}::text not in (${
      values.map((v) => lit(String(v))).join(", ")
    })
group by ${col}`),
    expect: NONE,
  };
}

function relationships(
  m: Model,
  col: string,
  rel: { to: string; field: string },
): Check {
  return {
    name: `${GROUP}.${m.name}.${col}.relationships`,
    group: GROUP,
    description:
      `Schema test: every ${m.name}.${col} exists as ${rel.to}.${rel.field} (a reference nothing resolves cannot be joined)`,
    severity: "error",
    sql: offending(`
select m.${col}::text || ' (' || count(*) || ' rows)' as item
from ${m.name} m
where m.${col} is not null
  and not exists (select 1 from ${rel.to} r where r.${rel.field} = m.${col})
group by m.${col}`),
    expect: NONE,
  };
}

function columnCheck(m: Model, col: string, t: ColumnTest): Check {
  if (t === "not_null") return notNull(m, col);
  if (t === "unique") return unique(m, [col]);
  if ("accepted_values" in t) {
    return acceptedValues(m, col, t.accepted_values);
  }
  return relationships(m, col, t.relationships);
}

/** Every schema test of every model, as checks in the "models" group. */
export function schemaChecks(project: ModelProject): Check[] {
  return project.models.flatMap((m) => [
    ...Object.entries(m.columns).flatMap(([col, c]) =>
      (c.tests ?? []).map((t) => columnCheck(m, col, t))
    ),
    ...(m.tests ?? []).map((t) => unique(m, t.unique)),
  ]);
}
