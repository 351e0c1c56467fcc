"""The two languages of the public record: which one a reader asked for, and which one a text
written in only one language is in."""

from __future__ import annotations

from typing import Literal

Language = Literal["km", "en"]
#: Khmer first: it is the country's language, and the default when nothing else matches.
LANGUAGES: tuple[Language, ...] = ("km", "en")
DEFAULT_LANGUAGE: Language = "km"

_KHMER_BLOCKS = ((0x1780, 0x17FF), (0x19E0, 0x19FF))


def negotiate(accept_language: str) -> Language:
    """The language an ``Accept-Language`` header prefers among ours (RFC 9110 weights; ``km``
    and ``km-KH`` are Khmer, ``en-*`` English, ``*`` the default); Khmer when none match."""
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate(accept_language.split(",")):
        tag, _, parameters = part.strip().partition(";")
        tag = tag.strip().lower()
        weight = _weight(parameters)
        if weight <= 0:
            continue
        primary = tag.split("-", 1)[0]
        language: Language | None
        if primary in LANGUAGES:
            language = primary  # type: ignore[assignment]
        elif primary == "*":
            language = DEFAULT_LANGUAGE
        else:
            language = None
        # The highest weight wins; between equal weights, the first listed.
        if language is not None and (best is None or (weight, -position) > best[:2]):
            best = (weight, -position, language)
    return best[2] if best else DEFAULT_LANGUAGE


def _weight(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def other(language: Language) -> Language:
    """The other of the two languages."""
    return "en" if language == "km" else "km"


def language_of(text: str) -> Language:
    """The language of a text stored in one language only (an outlet or platform name):
    Khmer if most of its letters are Khmer, else English. For ``lang`` attributes, so that
    screen readers and fonts treat it right."""
    khmer = latin = 0
    for character in text:
        point = ord(character)
        if any(low <= point <= high for low, high in _KHMER_BLOCKS):
            khmer += 1
        elif character.isalpha():
            latin += 1
    return "km" if khmer > latin else "en"
