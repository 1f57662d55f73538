"""The product engine: Odoo's catalogue in PostgreSQL, embedded, searchable."""


def __getattr__(name: str) -> type:
    # The seed's entry point, imported on demand so the CLI does not load the engine to start.
    if name == "ProductsSyncEngine":
        from .handlers import ProductsSyncEngine

        return ProductsSyncEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
