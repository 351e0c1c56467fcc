"""Events: the append-only log as a query, and the subscriptions that follow it."""
