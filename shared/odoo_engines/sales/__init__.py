"""The sales engine: Odoo sale lines → `sales_items`, monthly forecasts per SKU → `forecast`,
and the month's production plan → `production_forecast`.

`sync` (orders and lines from Odoo), `demand` (monthly series), `forecasting` (runs and
shards over `odoo_engines.forecast`), `production` (stock, supply, priorities), `report`
(CSV, charts, HTML), `runner` (what the functions and the CLI share), `function` (the
Pub/Sub handlers), `cli`.
"""
