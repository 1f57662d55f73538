"""The order poller: confirmed Odoo orders of many tenants → signed webhooks to the picking app.

Where an order becomes a webhook: `run.py` (`poll_tenant`, one cycle per tenant) reads
Odoo through `odoo_orders.py`, maps with `payload.py`, records through `store.py` (every
statement on the engine's tables) and sends through `delivery.py`; failures wait in the
retry queue that `run_retries` drains on `retry_schedule.py`'s backoff. `handlers.py`
holds the triggers (poll-tenant, webhook-retry, orders-api), `settings.py` the slice,
`tenants.py` what a tenant is, `admin.py` the operators' actions on tenants.
"""
