"""``Strings``: the public texts in one language, as templates read them, with the numbers,
hours, shares, months and dates printed in that language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coordhub.public.languages import Language
from coordhub.public.texts.formatting import in_digits, local_date
from coordhub.public.texts.terms import DISMISSAL_REASONS, INSTITUTION_KINDS, VERDICTS
from coordhub.public.texts.ui import UI


class Strings:
    """The interface texts in one language, for templates: ``ui.key`` or ``ui("key", n=2)``."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __getattr__(self, key: str) -> str:
        try:
            return UI[key][self.language]
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str, **values: Any) -> str:
        formatted = {name: self.number(value) for name, value in values.items()}
        return UI[key][self.language].format(**formatted)

    def number(self, value: Any) -> str:
        """A number in the language's digits (Khmer digits in Khmer)."""
        return in_digits(value, self.language)

    def verdict_name(self, verdict: str) -> str:
        return VERDICTS[verdict][self.language][0]

    def verdict_meaning(self, verdict: str) -> str:
        return VERDICTS[verdict][self.language][1]

    def reason_name(self, reason: str) -> str:
        return DISMISSAL_REASONS[reason][self.language][0]

    def reason_meaning(self, reason: str) -> str:
        return DISMISSAL_REASONS[reason][self.language][1]

    def kind_name(self, kind: str) -> str:
        return INSTITUTION_KINDS[kind][self.language]

    def month(self, month: str) -> str:
        """``YYYY-MM`` as ``11/2026`` (Khmer digits in Khmer), short enough for a chart axis."""
        return self.number(f"{int(month[5:7])}/{month[:4]}")

    def hours(self, value: float | None) -> str:
        """Hours to one decimal, ``12.5 h``; "none" for no value."""
        if value is None:
            return UI["no_value"][self.language]
        return self("hours_value", n=f"{value:.1f}".removesuffix(".0"))

    def share(self, value: float | None) -> str:
        """A share (0 to 1) as a whole percentage; "none" for no value."""
        if value is None:
            return UI["no_value"][self.language]
        return self("share_value", n=round(value * 100))

    def date(self, value: datetime) -> str:
        """A day and time in Cambodia's time: ``20 November 2026, 15:00`` / Khmer the same."""
        return local_date(value, self.language)
