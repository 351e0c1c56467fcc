"""coordhub: the coordination hub of an inter-ministerial information working group."""

__version__ = "0.1.0"
