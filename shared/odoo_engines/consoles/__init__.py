"""The operators' consoles over the engines: the order poller's terminal UI (`tui/`) and
the enrichment admin panel the `enrich` function serves (`web/`).

The consoles only read and call the engines' packages (the order poller's figures come
from `orders/store.py`); `plan.py` holds the few read-only queries the screens need that
the engines do not offer.
"""
