"""Deliveries and connectors: each published change on its way to each outlet."""
