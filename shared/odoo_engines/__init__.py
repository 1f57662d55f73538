"""odoo-engines: keep a company's Odoo data working outside Odoo."""

__version__ = "0.1.0"
