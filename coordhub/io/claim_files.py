"""Claims read from a monitoring export: CSV with a header row, or JSON Lines.

Each record becomes a ``ClaimReport`` for ``reportClaim``'s rule, or a ``Refusal`` naming its
line, its field and why; nothing here checks what the workflow checks (lengths, personal data,
timezones), so the import refuses exactly what ``reportClaim`` refuses. A file that cannot be
read as a whole (too large, not UTF-8, a CSV header without the required columns, broken CSV
quoting) raises ``FileRefused`` before any line is used.

- CSV: one claim per row, with at most one appearance. Columns, in any order:
  ``summary_km``, ``summary_en`` and ``topic`` (required); ``url``, ``outlet``, ``seen_at``
  (the appearance: all three, or none); ``first_seen_at``. Other columns are refused rather
  than ignored: an export's extra column (who shared it, say) is no business of ours, and a
  misspelt one would silently drop data.
- JSON Lines: one object per line, shaped as GraphQL's ``ReportClaimInput``:
  ``{"summary": {"km": "...", "en": "..."}, "topic": "...", "appearances": [{"url": "...",
  "outlet": "...", "seenAt": "..."}], "firstSeenAt": "..."}``; blank lines are skipped.

Times are ISO 8601 with a timezone (``2026-11-25T08:00:00+07:00``, ``...Z``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import orjson

from coordhub.workflow.inputs import AppearanceInput, ClaimReport, Localized, printable

Format = Literal["csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl")

#: The largest file read; a day of a monitoring desk's export is far below it.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: The most claims one file holds: beyond it, split the file.
MAX_RECORDS = 10_000
#: The longest record (a JSON line, a CSV row): a report at every input limit fits.
MAX_RECORD_BYTES = 256 * 1024

CSV_COLUMNS = (
    "summary_km",
    "summary_en",
    "topic",
    "url",
    "outlet",
    "seen_at",
    "first_seen_at",
)
CSV_REQUIRED = ("summary_km", "summary_en", "topic")
JSON_FIELDS = ("summary", "topic", "appearances", "firstSeenAt")
JSON_APPEARANCE_FIELDS = ("url", "outlet", "seenAt")

#: A workflow input path (``coordhub.workflow.inputs``) as the CSV column that holds it.
_CSV_FIELD = {
    "summary.km": "summary_km",
    "summary.en": "summary_en",
    "topic": "topic",
    "appearances": "url",
    "appearances.0.url": "url",
    "appearances.0.outlet": "outlet",
    "appearances.0.seenAt": "seen_at",
    "firstSeenAt": "first_seen_at",
}
_NO_TIME = "Required: when it was seen, with a timezone."
_BAD_TIME = "Not a date and time: ISO 8601 with a timezone, e.g. 2026-11-25T08:00:00+07:00."


class FileRefused(Exception):
    """The file cannot be imported at all: nothing of it is used."""


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """A record read as a report, on its (first) line of the file."""

    line: int
    report: ClaimReport
    format: Format

    def field_name(self, path: str | None) -> str:
        """A workflow error's input path as the file names it (a CSV column, a JSON path)."""
        if not path:
            return "-"
        return _CSV_FIELD.get(path, path) if self.format == "csv" else path


@dataclass(frozen=True, slots=True)
class Refusal:
    """A record refused: its line, the field at fault (``-``: the whole record) and why."""

    line: int
    field: str
    reason: str


Record = ClaimLine | Refusal


def format_of(path: Path, given: Format | None) -> Format:
    """The format asked for, else the one the file's extension names."""
    if given is not None:
        return given
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise FileRefused(
        f"Cannot tell the format from the name '{printable(path.name)}': "
        "pass --format csv or --format jsonl."
    )


def read_claims(path: Path, format: Format) -> list[Record]:
    """Every record of the file at ``path``, in order; ``FileRefused`` if it cannot be read."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileRefused(f"Cannot read the file: {exc.strerror or exc}.") from exc
    return parse_claims(data, format)


def parse_claims(data: bytes, format: Format) -> list[Record]:
    """Every record of a file's bytes; ``FileRefused`` if the file cannot be read as a whole."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: split it."
        )
    text = decode(data)
    records = list(_csv_records(text) if format == "csv" else _json_records(text))
    if len(records) > MAX_RECORDS:
        raise FileRefused(f"The file holds more than {MAX_RECORDS:,} claims: split it.")
    return records


def decode(data: bytes) -> str:
    """The file's text: UTF-8, a byte order mark dropped; ``FileRefused`` naming the first line
    that is not UTF-8 (a file in another encoding is refused whole: its other lines would be
    misread too)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("The file is UTF-16: save it as UTF-8.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            f"Line {line} is not UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8."
        ) from exc


# -- CSV ----------------------------------------------------------------------------------------


def _csv_records(text: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = _csv_header(header)
        last_line = reader.line_num
        for row in reader:
            line, last_line = last_line + 1, reader.line_num
            if not row or row == [""]:
                continue
            yield _csv_record(line, columns, row)
    except csv.Error as exc:
        raise FileRefused(f"Line {reader.line_num + 1} is not valid CSV: {exc}.") from exc


def _csv_header(header: list[str]) -> list[str]:
    columns = [printable(name).strip().lower() for name in header]
    unknown = [name for name in columns if name not in CSV_COLUMNS]
    if unknown:
        shown = ", ".join(f"'{name[:40]}'" for name in unknown[:5])
        raise FileRefused(
            f"Unknown column {shown} in the header: the columns are {', '.join(CSV_COLUMNS)}."
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise FileRefused(f"Column '{repeated[0]}' appears twice in the header.")
    missing = [name for name in CSV_REQUIRED if name not in columns]
    if missing:
        raise FileRefused(
            f"The header lacks {', '.join(missing)}: the first row names the columns "
            f"({', '.join(CSV_COLUMNS)})."
        )
    return columns


def _csv_record(line: int, columns: list[str], row: list[str]) -> Record:
    if len(row) != len(columns):
        return Refusal(line, "-", f"{len(row)} fields where the header names {len(columns)}.")
    if sum(len(value.encode("utf-8", "replace")) for value in row) > MAX_RECORD_BYTES:
        return Refusal(line, "-", f"Longer than {MAX_RECORD_BYTES:,} bytes.")
    values = dict(zip(columns, row, strict=True))
    appearances: list[AppearanceInput] = []
    url, outlet, seen = (values.get(name, "") for name in ("url", "outlet", "seen_at"))
    if url.strip() or outlet.strip() or seen.strip():
        if not seen.strip():
            return Refusal(line, "seen_at", _NO_TIME)
        seen_at = _time(seen)
        if seen_at is None:
            return Refusal(line, "seen_at", _BAD_TIME)
        appearances.append(AppearanceInput(url=url, outlet=outlet, seen_at=seen_at))
    first_seen_at = None
    if values.get("first_seen_at", "").strip():
        first_seen_at = _time(values["first_seen_at"])
        if first_seen_at is None:
            return Refusal(line, "first_seen_at", _BAD_TIME)
    report = ClaimReport(
        summary=Localized(km=values["summary_km"], en=values["summary_en"]),
        topic=values["topic"],
        appearances=appearances,
        first_seen_at=first_seen_at,
    )
    return ClaimLine(line, report, "csv")


# -- JSON Lines ---------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _json_records(text: str) -> Iterator[Record]:
    # Lines end at "\n" only: JSON strings may hold U+2028 and other breaks str.splitlines()
    # would cut at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if len(line.encode("utf-8", "replace")) > MAX_RECORD_BYTES:
            yield Refusal(number, "-", f"Longer than {MAX_RECORD_BYTES:,} bytes.")
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Refusal(number, "-", f"Not JSON ({printable(exc.msg)} at column {exc.pos + 1}).")
            continue
        try:
            yield ClaimLine(number, _json_report(value), "jsonl")
        except _Refused as refused:
            yield Refusal(number, refused.field, refused.reason)


def _json_report(value: Any) -> ClaimReport:
    record = _object(value, "-", JSON_FIELDS, "a claim")
    summary = _object(record.get("summary"), "summary", ("km", "en"), "a text in km and en")
    appearances = record.get("appearances", [])
    if not isinstance(appearances, list):
        raise _Refused("appearances", "Must be a list of appearances.")
    return ClaimReport(
        summary=Localized(
            km=_string(summary.get("km", ""), "summary.km"),
            en=_string(summary.get("en", ""), "summary.en"),
        ),
        topic=_string(record.get("topic", ""), "topic"),
        appearances=[_appearance(item, f"appearances.{i}") for i, item in enumerate(appearances)],
        first_seen_at=_optional_time(record.get("firstSeenAt"), "firstSeenAt"),
    )


def _appearance(value: Any, path: str) -> AppearanceInput:
    item = _object(value, path, JSON_APPEARANCE_FIELDS, "an appearance")
    seen_at = _optional_time(item.get("seenAt"), f"{path}.seenAt")
    if seen_at is None:
        raise _Refused(f"{path}.seenAt", _NO_TIME)
    return AppearanceInput(
        url=_string(item.get("url", ""), f"{path}.url"),
        outlet=_string(item.get("outlet", ""), f"{path}.outlet"),
        seen_at=seen_at,
    )


def _object(value: Any, path: str, fields: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Refused(path, f"Must be an object: {what}.")
    unknown = [key for key in value if key not in fields]
    if unknown:
        where = f"{path}." if path != "-" else ""
        name = printable(unknown[0])[:40]
        raise _Refused(f"{where}{name}", f"Unknown field: expected {', '.join(fields)}.")
    return value


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _Refused(path, "Must be a string.")
    return value


def _optional_time(value: Any, path: str) -> datetime | None:
    if value is None:
        return None
    parsed = _time(_string(value, path))
    if parsed is None:
        raise _Refused(path, _BAD_TIME)
    return parsed


def _time(value: str) -> datetime | None:
    """An ISO 8601 time (naive ones are left for the workflow to refuse), or ``None``."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None
