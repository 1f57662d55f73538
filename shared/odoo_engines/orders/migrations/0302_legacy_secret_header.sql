-- Whether a tenant's webhooks still carry its raw secret in X-Webhook-Secret (what the
-- seed's StockMaster checks). Anyone who sees one delivery's headers could then forge
-- signed ones, so it is off for new tenants and on for those that exist now: the
-- tenants migrated from the seed, whose receivers may still read it.
ALTER TABLE connections ADD COLUMN legacy_secret_header boolean NOT NULL DEFAULT false;
UPDATE connections SET legacy_secret_header = true;
