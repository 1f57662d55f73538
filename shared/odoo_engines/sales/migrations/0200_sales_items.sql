-- Sales engine: one row per line of a confirmed sale order, keyed by Odoo's line id.
-- Section and note lines are never stored. A line whose order is later cancelled (or
-- reset to quotation) keeps its row with the new state, so demand leaves it out.
CREATE TABLE sales_items (
    line_id bigint PRIMARY KEY,                -- sale.order.line id
    order_id bigint NOT NULL,
    order_name text NOT NULL,
    date_order timestamptz NOT NULL,           -- UTC, as Odoo stores it (confirmation time)
    customer_id bigint,
    customer_name text,
    product_id bigint NOT NULL,
    sku text NOT NULL,                         -- default_code, or ODOO-<db>-<product id> without one
    product_name text NOT NULL,
    product_type text,                         -- product/consu/service/combo; services are no demand
    quantity numeric NOT NULL,                 -- as ordered, in the line's unit
    uom text,
    product_quantity numeric NOT NULL,         -- in the product's own unit: what demand sums
    unit_price numeric NOT NULL,
    discount numeric NOT NULL DEFAULT 0,
    subtotal numeric NOT NULL,                 -- untaxed, in the order currency
    currency text,
    company_id bigint,
    company_name text,
    state text NOT NULL,                       -- the order's state: sale, done (16), cancel, draft, sent
    locked boolean NOT NULL DEFAULT false,     -- 17+: a locked confirmed order (16 says state done)
    write_date timestamptz,                    -- the order's write_date when last synced
    synced_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sales_items_order ON sales_items (order_id);
-- Monthly demand reads confirmed lines by SKU and date.
CREATE INDEX sales_items_demand ON sales_items (sku, date_order) WHERE state IN ('sale', 'done');
CREATE INDEX sales_items_date ON sales_items (date_order);
