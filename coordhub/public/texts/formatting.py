"""How the public pages print numbers and dates: Khmer digits in Khmer, and a day and time in
Cambodia's time with the month's name in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from coordhub.public.languages import Language

#: Cambodia keeps UTC+7 all year; dates are shown in the readers' time.
LOCAL_TIME = timezone(timedelta(hours=7), "ICT")

_MONTHS: dict[Language, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "km": (
        "មករា",
        "កុម្ភៈ",
        "មីនា",
        "មេសា",
        "ឧសភា",
        "មិថុនា",
        "កក្កដា",
        "សីហា",
        "កញ្ញា",
        "តុលា",
        "វិច្ឆិកា",
        "ធ្នូ",
    ),
}
_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def in_digits(value: Any, language: Language) -> str:
    """A number in the language's digits (Khmer digits in Khmer)."""
    text = str(value)
    return text.translate(_KHMER_DIGITS) if language == "km" else text


def local_date(value: datetime, language: Language) -> str:
    """A day and time in Cambodia's time: ``20 November 2026, 15:00`` / Khmer the same."""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LOCAL_TIME)
    month = _MONTHS[language][local.month - 1]
    if language == "km":
        return in_digits(f"{local.day} {month} {local.year} ម៉ោង {local:%H:%M}", language)
    return f"{local.day} {month} {local.year}, {local:%H:%M} (UTC+7)"
