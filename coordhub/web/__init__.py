"""The HTTP surface: the GraphQL view and websocket handler, middleware, probes and the public
response cache. ``coordhub.app`` assembles these into one Starlette application."""
