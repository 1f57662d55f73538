"""What every engine shares: settings, errors, the database, triggers, publishing, run
records, logging and the connection check. Nothing here imports an engine."""
