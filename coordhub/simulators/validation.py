"""Small validators for JSON payloads; each raises :class:`PayloadError` (answered 422)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

import orjson

from coordhub.simulators.common import PayloadError

LANGUAGES: tuple[str, ...] = ("km", "en")
"""The two languages of every bilingual text: Khmer and English."""


def json_object(body: bytes) -> dict[str, Any]:
    """The body parsed as a JSON object."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise PayloadError(f"body is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise PayloadError("body must be a JSON object")
    return value


def string(obj: dict[str, Any], name: str, *, max_len: int | None = None, where: str = "") -> str:
    """``obj[name]`` as a non-blank string of at most ``max_len`` characters."""
    label = f"{where}{name}"
    value = obj.get(name)
    if not isinstance(value, str):
        raise PayloadError(f"{label} must be a string")
    if not value.strip():
        raise PayloadError(f"{label} must not be empty")
    if max_len is not None and len(value) > max_len:
        raise PayloadError(f"{label} is {len(value)} characters, at most {max_len} allowed")
    return value


def choice(obj: dict[str, Any], name: str, allowed: Collection[str]) -> str:
    """``obj[name]`` as one of ``allowed``."""
    value = obj.get(name)
    if value not in allowed:
        options = ", ".join(sorted(allowed))
        raise PayloadError(f"{name} must be one of {options}")
    return str(value)


def bilingual(obj: dict[str, Any], name: str, *, max_len: int) -> dict[str, str]:
    """``obj[name]`` as ``{"km": ..., "en": ...}``, both non-blank and short enough."""
    value = obj.get(name)
    if not isinstance(value, dict):
        raise PayloadError(f"{name} must be an object with km and en")
    return {lang: string(value, lang, max_len=max_len, where=f"{name}.") for lang in LANGUAGES}


def web_url(obj: dict[str, Any], name: str) -> str:
    """``obj[name]`` as an absolute http(s) URL (the canonical page of a rebuttal)."""
    value = string(obj, name, max_len=2048)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PayloadError(f"{name} must be an absolute http(s) URL")
    return value
