"""The order poller's terminal console (Textual): dashboard, tenant form, sync log and
retry queue, over the orders package."""
