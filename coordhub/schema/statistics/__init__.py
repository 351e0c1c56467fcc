"""Transparency statistics: the ``statistics`` query and its figures."""
