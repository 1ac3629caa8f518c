/**
 * The reference data of the simulated shop: 30 products in 5 categories,
 * 3 warehouses and 3 competitors. `sql/002_seed.sql` seeds the same rows;
 * `catalog_test.ts` keeps the two in step.
 */

export const CATEGORIES = [
  "phones",
  "laptops",
  "headphones",
  "tablets",
  "accessories",
] as const;
export type Category = typeof CATEGORIES[number];

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly category: Category;
  readonly basePrice: number;
  /** What one unit costs us (landed: purchase price, freight, duty), in the same currency. */
  readonly unitCost: number;
}

/**
 * Unit costs are list price × a per-category share, rounded to cents: phones
 * 0.78, laptops 0.80, tablets 0.74, headphones 0.62, accessories 0.55. Retail
 * gross margins on consumer electronics are thin on computers and phones
 * (about 20–25%) and wide on audio and accessories (35–45%), which is where a
 * shop makes its margin. The market model and the database seed both read
 * these numbers, so there is one source.
 */
export const COST_SHARE: Readonly<Record<Category, number>> = {
  phones: 0.78,
  laptops: 0.80,
  tablets: 0.74,
  headphones: 0.62,
  accessories: 0.55,
};

const rows: [string, string, Category, number, number][] = [
  ["P001", "Samsung Galaxy S24", "phones", 899.99, 701.99],
  ["P002", "iPhone 15 Pro", "phones", 999.99, 779.99],
  ["P003", "Google Pixel 8", "phones", 699.99, 545.99],
  ["P004", "OnePlus 12", "phones", 799.99, 623.99],
  ["P005", "Xiaomi 14", "phones", 649.99, 506.99],
  ["P006", "Tecno Camon 30", "phones", 299.99, 233.99],
  ["P007", "MacBook Pro 16-inch", "laptops", 1999.99, 1599.99],
  ["P008", "Dell XPS 15", "laptops", 1799.99, 1439.99],
  ["P009", "HP Spectre x360", "laptops", 1499.99, 1199.99],
  ["P010", "Lenovo ThinkPad X1 Carbon", "laptops", 1649.99, 1319.99],
  ["P011", "ASUS ROG Zephyrus G14", "laptops", 1599.99, 1279.99],
  ["P012", "Acer Swift 3", "laptops", 749.99, 599.99],
  ["P013", "Sony WH-1000XM5", "headphones", 349.99, 216.99],
  ["P014", "Bose QuietComfort Ultra", "headphones", 429.99, 266.59],
  ["P015", "Apple AirPods Pro 2", "headphones", 249.99, 154.99],
  ["P016", "Samsung Galaxy Buds2 Pro", "headphones", 229.99, 142.59],
  ["P017", "JBL Tune 760NC", "headphones", 129.99, 80.59],
  ["P018", "Anker Soundcore Q45", "headphones", 59.99, 37.19],
  ["P019", "iPad Pro 12.9-inch", "tablets", 1099.99, 813.99],
  ["P020", "Samsung Galaxy Tab S9", "tablets", 799.99, 591.99],
  ["P021", "iPad Air", "tablets", 599.99, 443.99],
  ["P022", "Microsoft Surface Pro 9", "tablets", 999.99, 739.99],
  ["P023", "Lenovo Tab P11", "tablets", 299.99, 221.99],
  ["P024", "Amazon Fire HD 10", "tablets", 149.99, 110.99],
  ["P025", "Anker USB-C Hub 7-in-1", "accessories", 49.99, 27.49],
  ["P026", "Logitech MX Master 3S", "accessories", 99.99, 54.99],
  ["P027", "Apple Magic Keyboard", "accessories", 99.99, 54.99],
  ["P028", "Samsung 25W Charger", "accessories", 29.99, 16.49],
  ["P029", "SanDisk 1TB Portable SSD", "accessories", 119.99, 65.99],
  ["P030", "Belkin 3-in-1 Wireless Charger", "accessories", 129.99, 71.49],
];

/** All products, in id order. */
export const PRODUCTS: readonly Product[] = Object.freeze(
  rows.map(([id, name, category, basePrice, unitCost]) =>
    Object.freeze({ id, name, category, basePrice, unitCost })
  ),
);

/** Products by id. */
export const PRODUCT_BY_ID: ReadonlyMap<string, Product> = new Map(
  PRODUCTS.map((p) => [p.id, p]),
);

export const WAREHOUSES = ["WH-LAGOS", "WH-ABUJA", "WH-PH"] as const;
export type Warehouse = typeof WAREHOUSES[number];

export const COMPETITORS = ["TechMart", "GadgetZone", "ElectroHub"] as const;
export type Competitor = typeof COMPETITORS[number];
