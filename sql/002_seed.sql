-- The simulated shop's reference data (the same rows as lib/catalog.ts).
-- Idempotent: re-running it changes nothing.
insert into products (product_id, product_name, category, base_price, current_price) values
  ('P001', 'Samsung Galaxy S24', 'phones', 899.99, 899.99),
  ('P002', 'iPhone 15 Pro', 'phones', 999.99, 999.99),
  ('P003', 'Google Pixel 8', 'phones', 699.99, 699.99),
  ('P004', 'OnePlus 12', 'phones', 799.99, 799.99),
  ('P005', 'Xiaomi 14', 'phones', 649.99, 649.99),
  ('P006', 'Tecno Camon 30', 'phones', 299.99, 299.99),
  ('P007', 'MacBook Pro 16-inch', 'laptops', 1999.99, 1999.99),
  ('P008', 'Dell XPS 15', 'laptops', 1799.99, 1799.99),
  ('P009', 'HP Spectre x360', 'laptops', 1499.99, 1499.99),
  ('P010', 'Lenovo ThinkPad X1 Carbon', 'laptops', 1649.99, 1649.99),
  ('P011', 'ASUS ROG Zephyrus G14', 'laptops', 1599.99, 1599.99),
  ('P012', 'Acer Swift 3', 'laptops', 749.99, 749.99),
  ('P013', 'Sony WH-1000XM5', 'headphones', 349.99, 349.99),
  ('P014', 'Bose QuietComfort Ultra', 'headphones', 429.99, 429.99),
  ('P015', 'Apple AirPods Pro 2', 'headphones', 249.99, 249.99),
  ('P016', 'Samsung Galaxy Buds2 Pro', 'headphones', 229.99, 229.99),
  ('P017', 'JBL Tune 760NC', 'headphones', 129.99, 129.99),
  ('P018', 'Anker Soundcore Q45', 'headphones', 59.99, 59.99),
  ('P019', 'iPad Pro 12.9-inch', 'tablets', 1099.99, 1099.99),
  ('P020', 'Samsung Galaxy Tab S9', 'tablets', 799.99, 799.99),
  ('P021', 'iPad Air', 'tablets', 599.99, 599.99),
  ('P022', 'Microsoft Surface Pro 9', 'tablets', 999.99, 999.99),
  ('P023', 'Lenovo Tab P11', 'tablets', 299.99, 299.99),
  ('P024', 'Amazon Fire HD 10', 'tablets', 149.99, 149.99),
  ('P025', 'Anker USB-C Hub 7-in-1', 'accessories', 49.99, 49.99),
  ('P026', 'Logitech MX Master 3S', 'accessories', 99.99, 99.99),
  ('P027', 'Apple Magic Keyboard', 'accessories', 99.99, 99.99),
  ('P028', 'Samsung 25W Charger', 'accessories', 29.99, 29.99),
  ('P029', 'SanDisk 1TB Portable SSD', 'accessories', 119.99, 119.99),
  ('P030', 'Belkin 3-in-1 Wireless Charger', 'accessories', 129.99, 129.99)
on conflict (product_id) do nothing;

insert into warehouses (warehouse_id, name) values
  ('WH-LAGOS', 'Lagos'),
  ('WH-ABUJA', 'Abuja'),
  ('WH-PH', 'Port Harcourt')
on conflict (warehouse_id) do nothing;

insert into competitors (competitor_name) values
  ('TechMart'),
  ('GadgetZone'),
  ('ElectroHub')
on conflict (competitor_name) do nothing;

-- Every product starts with 100 units in every warehouse.
insert into inventory_state (product_id, warehouse_id, current_stock)
select p.product_id, w.warehouse_id, 100 from products p cross join warehouses w
on conflict (product_id, warehouse_id) do nothing;

insert into product_metrics (product_id) select product_id from products
on conflict (product_id) do nothing;
