-- Production plan for a month: forecast against stock and incoming supply, prioritised.
CREATE TABLE production_forecast (
    sku text NOT NULL,
    year smallint NOT NULL,
    month smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
    product_id bigint,
    product_name text,
    forecast_quantity double precision NOT NULL,
    stock_on_hand double precision NOT NULL,       -- internal locations, read from Odoo
    incoming_manufacturing double precision NOT NULL DEFAULT 0,  -- open manufacturing orders
    incoming_purchases double precision NOT NULL DEFAULT 0,      -- ordered, not yet received
    production_needed double precision NOT NULL,   -- forecast − stock − incoming (< 0: surplus)
    priority text NOT NULL CHECK (priority IN ('ALTA', 'MEDIA', 'BAJA')),
    explanation text NOT NULL,
    run_id text,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, year, month)
);
CREATE INDEX production_forecast_needs ON production_forecast (year, month, production_needed DESC);
