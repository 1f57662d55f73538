"""The product engine: Odoo's catalogue in PostgreSQL, embedded, searchable."""
