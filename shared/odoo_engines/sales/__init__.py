"""The sales engine: Odoo sale lines → `sales_items`, monthly forecasts per SKU → `forecast`,
and the month's production plan → `production_forecast`.

`handlers` (the `sales-sync` and `forecast` functions' Pub/Sub handlers), `run` (the
recorded runs the handlers and the CLI share), `settings` (its settings slice), `store`
(all SQL on its tables); domain modules: `sync` (orders and lines from Odoo), `lines`
(a line as a row), `units`, `history` (monthly demand series), `forecasting` (runs and
shards over `odoo_engines.forecast`), `production` (stock, supply, priorities), `report`
(CSV, charts, HTML).
"""
