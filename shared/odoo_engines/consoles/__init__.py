"""Read-only queries the operators' consoles need that the engines do not offer:
`dashboard.py` for the order poller's terminal UI (`odoo_engines_tools.tui`) and `plan.py`
for the admin panel the `enrich` function serves (`enrichment/panel.py`).
"""
