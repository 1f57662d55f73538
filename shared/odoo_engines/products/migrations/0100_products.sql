-- The catalogue: one row per Odoo product variant (product.product), the seed's columns
-- plus what correctness needs. The Odoo variant id is the key: SKUs can be missing
-- (then `ODOO-{db}-{id}`) or shared by two variants (reported, never merged).
CREATE TABLE products (
    odoo_id integer PRIMARY KEY,
    sku varchar(100) NOT NULL,
    name varchar(500) NOT NULL,
    description text,
    category_id integer,
    category_name varchar(255),
    is_active boolean NOT NULL DEFAULT true,
    deleted_in_odoo boolean NOT NULL DEFAULT false,
    list_price numeric(15, 2) DEFAULT 0,
    standard_price numeric(15, 2) DEFAULT 0,
    product_type varchar(50),
    barcode varchar(100),
    weight numeric(10, 3) DEFAULT 0,
    volume numeric(10, 3) DEFAULT 0,
    sale_ok boolean DEFAULT true,
    purchase_ok boolean DEFAULT true,
    uom_id integer,
    uom_name varchar(100),
    company_id integer,
    qty_available numeric(15, 3) DEFAULT 0,
    template_id integer,
    odoo_write_date timestamp,
    text_for_embedding text,
    text_hash char(64),
    embedding vector({{embedding_dimensions}}),
    embedding_model varchar(100),
    embedded_hash char(64),
    last_update timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX products_sku ON products (lower(sku));
CREATE INDEX products_barcode ON products (barcode) WHERE barcode IS NOT NULL;
CREATE INDEX products_template ON products (template_id);
-- Rows whose embedding is missing or stale: the embedding step reads only these.
CREATE INDEX products_pending_embedding ON products (odoo_id)
    WHERE is_active AND (embedded_hash IS DISTINCT FROM text_hash OR embedding IS NULL);
CREATE INDEX products_embedding_hnsw ON products USING hnsw (embedding vector_cosine_ops);
