/**
 * Catalog import, all or nothing: read the files (or the JSON body),
 * validate every line, compare with the database, and either show what would
 * change (a dry run) or apply it in one transaction. Any bad line means
 * nothing is applied and every bad line is reported. Applying the same file
 * twice changes nothing the second time. `catalog_version` moves with the
 * rows (a trigger), so running processors reload their reference data.
 */
import type { Sql } from "../db/mod.ts";
import { readCsv, readJson } from "./read.ts";
import { validate } from "./validate.ts";
import { type ImportPlan, planImport } from "./plan.ts";
import { type Applied, applyPlan } from "./apply.ts";
import {
  CatalogImportError,
  type LineError,
  type RawSection,
} from "./types.ts";
import { catalogVersion } from "../ingest/reference.ts";

export { CatalogImportError } from "./types.ts";
export type { LineError } from "./types.ts";
export type { ImportPlan } from "./plan.ts";

/** What the import is made of: CSV files by name, or a JSON body. */
export type CatalogSource =
  | { csv: { name: string; text: string }[] }
  | { json: unknown };

export interface ImportOptions {
  dryRun: boolean;
  via: "cli" | "api";
}

export interface ImportResult {
  dryRun: boolean;
  plan: ImportPlan;
  /** Absent on a dry run. */
  applied?: Applied;
  /** The catalog version after the import. */
  version: number;
}

function sectionsOf(
  source: CatalogSource,
): { sections: RawSection[]; errors: LineError[] } {
  if ("json" in source) return readJson(source.json);
  const sections: RawSection[] = [];
  const errors: LineError[] = [];
  for (const f of source.csv) {
    const r = readCsv(f.name, f.text);
    if ("error" in r) errors.push(r.error);
    else sections.push(r.section);
  }
  return { sections, errors };
}

function sourceName(source: CatalogSource): string {
  return "json" in source
    ? "JSON body"
    : source.csv.map((f) => f.name).join(", ");
}

/**
 * Imports the catalog; throws {@linkcode CatalogImportError} listing every
 * bad line when there is one (then nothing was applied).
 */
export async function importCatalog(
  sql: Sql,
  source: CatalogSource,
  opts: ImportOptions,
): Promise<ImportResult> {
  const read = sectionsOf(source);
  const { input, errors } = validate(read.sections);
  const bad = [...read.errors, ...errors];
  if (bad.length > 0) throw new CatalogImportError(bad);
  if (opts.dryRun) {
    const plan = await planImport(sql, input);
    if (plan.errors.length > 0) throw new CatalogImportError(plan.errors);
    return { dryRun: true, plan, version: await catalogVersion(sql) };
  }
  return await sql.begin(async (tx) => {
    const plan = await planImport(tx, input, true);
    if (plan.errors.length > 0) throw new CatalogImportError(plan.errors);
    const applied = await applyPlan(tx, plan);
    if (
      applied.productsAdded + applied.productsChanged +
          applied.warehousesAdded + applied.warehousesChanged +
          applied.competitorsAdded > 0
    ) {
      await tx`
        insert into catalog_imports (via, source, products_added, products_changed,
          warehouses_added, warehouses_changed, competitors_added)
        values (${opts.via}, ${
        sourceName(source)
      }, ${applied.productsAdded}, ${applied.productsChanged},
          ${applied.warehousesAdded}, ${applied.warehousesChanged}, ${applied.competitorsAdded})`;
    }
    const [v] = await tx<{ v: string }[]>`
      select version::text as v from catalog_version`;
    return { dryRun: false, plan, applied, version: Number(v!.v) };
  });
}

/** One line per problem, as the CLI prints them: `file:line: column "x" = "v": why`. */
export function describeErrors(errors: readonly LineError[]): string[] {
  return errors.map((e) =>
    `${e.file}:${e.line}: ${e.column ? `column "${e.column}"` : "line"}${
      e.value !== null ? ` = ${JSON.stringify(e.value)}` : ""
    }: ${e.reason}`
  );
}

/** What the import did or would do, one line each, for people. */
export function describePlan(plan: ImportPlan, dryRun: boolean): string[] {
  const verb = dryRun ? "would " : "";
  const p = plan.products, w = plan.warehouses, c = plan.competitors;
  const lines = [
    `products: ${p.added.length} ${verb}add, ${p.changed.length} ${verb}change, ${p.unchanged} unchanged`,
    ...p.added.map((a) =>
      `  + ${a.product_id} ${
        JSON.stringify(a.name)
      } (${a.category}) list ${a.list_price}, cost ${a.unit_cost} ${a.currency}${
        a.active ? "" : ", inactive"
      }`
    ),
    ...p.changed.map((x) =>
      `  ~ ${x.row.product_id} ${
        x.changes.map((ch) =>
          `${ch.field} ${ch.from ?? "(none)"} -> ${ch.to ?? "(none)"}`
        )
          .join("; ")
      }`
    ),
    `warehouses: ${w.added.length} ${verb}add, ${w.changed.length} ${verb}change, ${w.unchanged} unchanged`,
    ...w.added.map((a) => `  + ${a.warehouse_id} ${JSON.stringify(a.name)}`),
    ...w.changed.map((x) =>
      `  ~ ${x.row.warehouse_id} name ${
        JSON.stringify(x.changes[0]!.from)
      } -> ${JSON.stringify(x.row.name)}`
    ),
    `competitors: ${c.added.length} ${verb}add, ${c.unchanged} unchanged`,
    ...c.added.map((a) => `  + ${JSON.stringify(a.competitor_name)}`),
  ];
  return lines;
}

/** The plan as the API answers it. */
export function planJson(plan: ImportPlan) {
  return {
    products: {
      added: plan.products.added.map((p) => p.product_id),
      changed: plan.products.changed.map((x) => ({
        product_id: x.row.product_id,
        changes: x.changes,
      })),
      unchanged: plan.products.unchanged,
    },
    warehouses: {
      added: plan.warehouses.added.map((w) => w.warehouse_id),
      changed: plan.warehouses.changed.map((x) => ({
        warehouse_id: x.row.warehouse_id,
        changes: x.changes,
      })),
      unchanged: plan.warehouses.unchanged,
    },
    competitors: {
      added: plan.competitors.added.map((c) => c.competitor_name),
      unchanged: plan.competitors.unchanged,
    },
  };
}
