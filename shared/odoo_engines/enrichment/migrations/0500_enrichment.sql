-- Enrichment engine: products described and filed by an LLM, their stock, low-stock alerts.
-- The products engine's `products` table is only read (its category names, the catalogue
-- rows without a description); nothing here alters it.

CREATE TABLE enriched_products (
    id bigserial PRIMARY KEY,
    -- 'api': created through POST /products; 'odoo': a synced catalogue product, keyed by
    -- the products table's odoo_id (the product.product id)
    origin text NOT NULL DEFAULT 'api' CHECK (origin IN ('api', 'odoo')),
    odoo_id integer UNIQUE,
    sku text,
    name text NOT NULL CHECK (btrim(name) <> ''),
    keywords text[] NOT NULL DEFAULT '{}',
    -- NULL: stock not tracked here (catalogue products keep theirs in Odoo)
    stock integer CHECK (stock >= 0),
    -- true from the alert of a crossing below the threshold until stock is back up:
    -- one alert per crossing, not one per sale while low
    low_stock boolean NOT NULL DEFAULT false,
    description text,
    description_source text NOT NULL DEFAULT 'ai' CHECK (description_source IN ('ai', 'human')),
    -- provider, model, prompt_version, input_hash, generated_at of the generated text
    description_provenance jsonb,
    -- the filed category; NULL while the suggestion waits for a person's review
    category text,
    suggested_category text,
    category_confidence real,
    category_source text CHECK (category_source IN ('ai', 'human', 'odoo')),
    category_provenance jsonb,
    review_status text NOT NULL DEFAULT 'filed' CHECK (review_status IN ('filed', 'needs_review')),
    -- sha256 of the description last written to Odoo (--write-back), and when
    written_back_hash text,
    written_back_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (origin = 'odoo' OR stock IS NOT NULL),
    CHECK ((origin = 'odoo') = (odoo_id IS NOT NULL))
);
CREATE INDEX enriched_products_needs_review ON enriched_products (id)
    WHERE review_status = 'needs_review';

CREATE TABLE stock_alerts (
    id bigserial PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES enriched_products (id) ON DELETE CASCADE,
    product_name text NOT NULL,
    current_stock integer NOT NULL,
    threshold integer NOT NULL,
    alert_message text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    acknowledged_at timestamptz
);
CREATE INDEX stock_alerts_open ON stock_alerts (id) WHERE acknowledged_at IS NULL;
CREATE INDEX stock_alerts_product ON stock_alerts (product_id);
