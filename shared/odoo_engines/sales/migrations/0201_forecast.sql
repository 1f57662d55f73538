-- Forecast: 12 months ahead per SKU, upserted by every run (key: sku, forecast_date).
CREATE TABLE forecast (
    sku text NOT NULL,
    forecast_date date NOT NULL,               -- first day of the forecast month
    year smallint NOT NULL,
    month smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
    product_id bigint,
    product_name text,
    forecasted_quantity double precision NOT NULL CHECK (forecasted_quantity >= 0),
    lower_bound double precision NOT NULL,     -- 80% interval
    upper_bound double precision NOT NULL,
    model text NOT NULL,                       -- method used, e.g. theta, combination:ses+theta
    demand_class text NOT NULL,                -- smooth, erratic, intermittent, lumpy, none
    history_months integer NOT NULL,
    backtest_mae double precision,             -- per-SKU rolling-origin backtest error, in units
    backtest_mase double precision,            -- the same, scaled by the seasonal naive's error
    run_id text NOT NULL,
    generated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, forecast_date),
    CHECK (lower_bound <= forecasted_quantity AND forecasted_quantity <= upper_bound)
);
CREATE INDEX forecast_year_month ON forecast (year, month);

-- A forecast run split into shards (one Pub/Sub message each); a shard that finds
-- them all stored asks for the production plan, until `planned_at` is set.
CREATE TABLE forecast_runs (
    run_id text PRIMARY KEY,
    start_month date NOT NULL,                 -- first forecast month
    target_month date NOT NULL,                -- month of the production plan
    shards integer NOT NULL CHECK (shards > 0),
    skus integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    planned_at timestamptz
);

CREATE TABLE forecast_shards (
    run_id text NOT NULL REFERENCES forecast_runs ON DELETE CASCADE,
    shard integer NOT NULL,
    skus integer NOT NULL,
    fallbacks integer NOT NULL DEFAULT 0,
    seconds double precision NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, shard)
);
