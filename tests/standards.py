"""IPTC standards for format checks: the ninjs JSON schemas in ``../shared/standards``.

The schemas stay beside the repository, never copied into it. Without that folder the checks
skip with the reason, except under ``CI=true`` where they must run.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from coordhub.connectors.formats.ninjs import NinjsVersion

STANDARDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "standards"
NINJS_VERSIONS: tuple[NinjsVersion, ...] = ("2.1", "3.1")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+$")


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    datetime.fromisoformat(value)
    return True


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_ABSOLUTE_URI.match(value))


def _format_checker() -> FormatChecker:
    """jsonschema's checker plus strict ``date-time`` and ``uri`` checks.

    jsonschema checks those two formats only when optional packages are installed; the output
    must hold to them regardless.
    """
    checker = FormatChecker()
    checker.checks("date-time", raises=ValueError)(_is_date_time)
    checker.checks("uri")(_is_uri)
    return checker


@cache
def _load_validator(version: NinjsVersion) -> Validator:
    schema = json.loads((STANDARDS_DIR / f"ninjs-schema_{version}.json").read_text("utf-8"))
    cls = validator_for(schema)  # the draft named by the schema's own "$schema"
    cls.check_schema(schema)
    return cls(schema, format_checker=_format_checker())


@pytest.fixture(scope="session")
def ninjs_validators() -> dict[str, Validator]:
    """A validator per ninjs version, from the IPTC schemas in ``../shared/standards``."""
    if not STANDARDS_DIR.is_dir():
        reason = (
            f"IPTC ninjs schemas not found in {STANDARDS_DIR} (they are kept in shared/standards "
            "beside the repository, not copied into it)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI=true the ninjs schema check must run")
        pytest.skip(reason)
    return {version: _load_validator(version) for version in NINJS_VERSIONS}


def assert_valid(
    validators: dict[str, Validator], version: NinjsVersion, ninjs: dict[str, Any]
) -> None:
    errors = sorted(validators[version].iter_errors(ninjs), key=lambda error: error.json_path)
    assert not errors, "\n".join(f"{error.json_path}: {error.message}" for error in errors)
