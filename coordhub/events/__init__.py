"""The durable event log and how new entries are announced.

``log`` writes an event in the caller's transaction (with its outbox rows, see
``coordhub.workflow``); ``bus`` and ``wakeups`` wake the waiting workers and log tails of every
process when it commits; ``tail`` reads the log once per process and fans new events out to
live subscribers.
"""
