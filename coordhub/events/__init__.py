"""The durable event log (and, later, the wake-up bus that announces new entries)."""
