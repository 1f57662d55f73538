"""Read-only queries the order poller's terminal console (`odoo_engines_tools.tui`) needs
that the engines do not offer (`dashboard.py`). The admin panel lives with the function
that serves it: `enrichment/panel.py`, its plan views in `enrichment/plan.py`.
"""
