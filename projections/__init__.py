"""Read models: SQL tables built from the event log, the runner that keeps them current, their queries."""
