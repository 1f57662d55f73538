-- The order poller (seed "Odoo Order Poller"): tenants, one log row per poll cycle, the
-- retry queue and the record of what was sent. Columns follow the seed, with PostgreSQL
-- types. Where the seed kept a secret in the row (odoo_api_key, webhook_secret), the row
-- here keeps a reference to it (*_ref): a Secret Manager name in production, locally a
-- token encrypted with a key that is not in the database.

CREATE TABLE connections (
    id text PRIMARY KEY DEFAULT left(md5(gen_random_uuid()::text), 16),
    name text NOT NULL,
    odoo_url text NOT NULL,
    odoo_db text NOT NULL,
    odoo_username text NOT NULL,
    odoo_api_key_ref text NOT NULL,
    webhook_url text NOT NULL DEFAULT 'https://stockmaster.notorios.cl/api/webhooks/odoo',
    webhook_secret_ref text NOT NULL,
    store_id text NOT NULL,
    client_id text NOT NULL,
    polling_interval_seconds integer NOT NULL DEFAULT 60
        CHECK (polling_interval_seconds >= 60),
    is_active boolean NOT NULL DEFAULT true,
    -- set when the webhook answered 410 Gone: nothing is sent until the tenant is resumed
    deliveries_paused_at timestamptz,
    deliveries_paused_reason text,
    -- the Odoo client's keyset cursor over sale.order (write_date, id)
    poll_cursor jsonb,
    last_sync_at timestamptz,
    last_sync_order_id integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_log (
    id bigserial PRIMARY KEY,
    connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    synced_at timestamptz NOT NULL DEFAULT now(),
    orders_found integer NOT NULL DEFAULT 0,
    orders_sent integer NOT NULL DEFAULT 0,
    orders_failed integer NOT NULL DEFAULT 0,
    error_message text,
    duration_ms integer,
    pages integer NOT NULL DEFAULT 0,
    odoo_calls integer NOT NULL DEFAULT 0
);
CREATE INDEX sync_log_connection ON sync_log (connection_id, synced_at DESC);

-- An event is recorded here before it is sent (sent_at NULL, the exact body kept) and
-- marked after a 2xx; a row with sent_at set is never sent again. The seed's key
-- (connection, order) carries the event too: a cancelled order gets a second event.
CREATE TABLE sent_orders (
    id bigserial PRIMARY KEY,
    connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    odoo_order_id integer NOT NULL,
    external_id text NOT NULL,
    event text NOT NULL DEFAULT 'order.confirmed',
    webhook_id text NOT NULL,
    payload text,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    UNIQUE (connection_id, odoo_order_id, event)
);
CREATE INDEX sent_orders_unsent ON sent_orders (connection_id) WHERE sent_at IS NULL;

-- Failed deliveries. `payload` is the exact body of the first attempt (text, not jsonb,
-- so every attempt of one webhook-id carries the same bytes); `attempts` counts retries.
CREATE TABLE retry_queue (
    id bigserial PRIMARY KEY,
    connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    odoo_order_id integer NOT NULL,
    external_id text NOT NULL,
    event text NOT NULL DEFAULT 'order.confirmed',
    webhook_id text NOT NULL,
    payload text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 5,
    next_retry_at timestamptz NOT NULL,
    last_error text,
    last_status integer,
    status text NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'SUCCESS', 'FAILED', 'DISCARDED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connection_id, odoo_order_id, event)
);
CREATE INDEX retry_queue_due ON retry_queue (next_retry_at) WHERE status = 'PENDING';

-- Only the local stand-in for Cloud Scheduler writes here; production uses Cloud Scheduler.
CREATE TABLE local_scheduler_jobs (
    name text PRIMARY KEY,
    topic text NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    schedule text NOT NULL,
    paused boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);
