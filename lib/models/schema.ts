/**
 * The SQL model layer's definition: `sql/models/<name>.sql` holds each
 * model's SELECT, and `sql/models/schema.json` is the one place that says
 * what each model is (view or materialized view, unique key), describes it
 * and its columns, and lists its schema tests.
 */

export const MODELS_DIR = new URL("../../sql/models/", import.meta.url);

export type ColumnTest =
  | "not_null"
  | "unique"
  | { accepted_values: (string | number)[] }
  | { relationships: { to: string; field: string } };

export interface Column {
  description: string;
  tests?: ColumnTest[];
}

export interface Model {
  name: string;
  materialized: "view" | "materialized_view";
  /** Columns of the unique index a materialized view needs for REFRESH CONCURRENTLY. */
  unique_key?: string[];
  description: string;
  columns: Record<string, Column>;
  /** Model-level tests: a combination of columns that must be unique. */
  tests?: { unique: string[] }[];
  /** The model's SELECT, from `<name>.sql`. */
  sql: string;
}

export interface ModelProject {
  /** In build order: a model may only read models listed before it. */
  models: Model[];
  /** Hash of the definitions; the database rebuilds the models when it changes. */
  hash: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** A model definition that cannot be used, named in one sentence. */
export class ModelError extends Error {
  override name = "ModelError";
}

function ident(v: unknown, what: string): string {
  if (typeof v !== "string" || !IDENT.test(v)) {
    throw new ModelError(
      `Cannot read sql/models/schema.json: ${what} must be a lower-case SQL name, got ${
        JSON.stringify(v)
      }`,
    );
  }
  return v;
}

function validateTest(t: unknown, where: string): void {
  if (t === "not_null" || t === "unique") return;
  const o = t as Record<string, unknown> | null;
  if (o && Array.isArray(o.accepted_values)) return;
  const rel = o?.relationships as Record<string, unknown> | undefined;
  if (rel) {
    ident(rel.to, `${where} relationships.to`);
    ident(rel.field, `${where} relationships.field`);
    return;
  }
  throw new ModelError(
    `Cannot read sql/models/schema.json: ${where} has unknown test ${
      JSON.stringify(t)
    }, expected not_null, unique, accepted_values or relationships`,
  );
}

function validate(m: Record<string, unknown>): void {
  const name = ident(m.name, "a model name");
  if (m.materialized !== "view" && m.materialized !== "materialized_view") {
    throw new ModelError(
      `Cannot read sql/models/schema.json: model "${name}" must be materialized as "view" or "materialized_view"`,
    );
  }
  if (typeof m.description !== "string" || m.description.trim() === "") {
    throw new ModelError(
      `Cannot read sql/models/schema.json: model "${name}" has no description`,
    );
  }
  const cols = m.columns as Record<string, Column> | undefined;
  if (!cols || Object.keys(cols).length === 0) {
    throw new ModelError(
      `Cannot read sql/models/schema.json: model "${name}" lists no columns`,
    );
  }
  for (const [c, col] of Object.entries(cols)) {
    ident(c, `a column of "${name}"`);
    if (typeof col.description !== "string" || col.description.trim() === "") {
      throw new ModelError(
        `Cannot read sql/models/schema.json: column "${name}.${c}" has no description`,
      );
    }
    col.tests?.forEach((t) => validateTest(t, `column "${name}.${c}"`));
  }
  const key = m.unique_key as string[] | undefined;
  if (m.materialized === "materialized_view" && !key?.length) {
    throw new ModelError(
      `Cannot read sql/models/schema.json: materialized view "${name}" needs a unique_key to be refreshed concurrently`,
    );
  }
  key?.forEach((c) => ident(c, `unique_key of "${name}"`));
}

/** Reads and validates the model project from `dir` (default `sql/models/`). */
export async function loadModels(dir: URL = MODELS_DIR): Promise<ModelProject> {
  const text = await Deno.readTextFile(new URL("schema.json", dir));
  let parsed: { models?: Record<string, unknown>[] };
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ModelError(
      `Cannot read sql/models/schema.json: ${(err as Error).message}`,
    );
  }
  const models: Model[] = [];
  for (const m of parsed.models ?? []) {
    validate(m);
    const file = new URL(`${m.name}.sql`, dir);
    const body = await Deno.readTextFile(file).catch(() => {
      throw new ModelError(
        `Cannot read model "${m.name}": sql/models/${m.name}.sql is missing`,
      );
    });
    models.push({
      ...(m as unknown as Model),
      sql: body.trim().replace(/;\s*$/, ""),
    });
  }
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(JSON.stringify(models)),
  );
  const hash = [...new Uint8Array(digest)].map((b) =>
    b.toString(16).padStart(2, "0")
  ).join("");
  return { models, hash };
}

/** The materialized models (the marts), in build order. */
export function martsOf(project: ModelProject): Model[] {
  return project.models.filter((m) => m.materialized === "materialized_view");
}
