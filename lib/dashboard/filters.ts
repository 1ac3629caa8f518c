/** The values the filter bars offer, read from the reference tables. */
import type { Sql } from "../db/mod.ts";

export interface FilterOptions {
  categories: string[];
  warehouses: { id: string; name: string }[];
}

/** Categories and warehouses as they are in the database now. */
export async function filterOptions(sql: Sql): Promise<FilterOptions> {
  const [cats, whs] = await Promise.all([
    sql<
      { category: string }[]
    >`select distinct category from products order by category`,
    sql<
      { id: string; name: string }[]
    >`select warehouse_id as id, name from warehouses order by warehouse_id`,
  ]);
  return { categories: cats.map((c) => c.category), warehouses: whs };
}
