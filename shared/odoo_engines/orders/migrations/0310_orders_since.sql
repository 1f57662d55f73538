-- The point a tenant's orders are sent from: orders confirmed (date_order) before it are
-- never sent. NULL sends every past confirmed order (the seed's first poll, `--since all`);
-- `tenants add` sets it to the moment the tenant was added unless told otherwise.
ALTER TABLE connections ADD COLUMN orders_since timestamptz;
