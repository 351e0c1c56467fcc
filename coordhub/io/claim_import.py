"""``coordhub claims import``: a file's claims reported as one token's actor, with a progress
bar, each line's possible duplicates and a report of the refused lines.

Good lines are imported and refused ones reported (exit status 1 if any was refused);
``all_or_nothing`` first checks every line as a dry run and imports only if none is refused. A
refused line never writes anything (``workflow/imports.py``). Between the check and the import
the database can change (a token revoked, say): a line refused then is reported like any other.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from coordhub.actor import Actor
from coordhub.auth import token_is_revoked
from coordhub.connectors.formats import clip
from coordhub.io.claim_files import ClaimLine, Format, Refusal, read_claims
from coordhub.workflow.claims import claim_global_id
from coordhub.workflow.imports import Duplicate, LineOutcome, import_claims

#: How often (in lines) the importing token is checked again: a revoked token stops the import.
REVOCATION_CHECK = 100


@dataclass
class ImportReport:
    """What an import did."""

    dry_run: bool
    #: Lines imported (in a dry run: that would be).
    accepted: int = 0
    refused: list[Refusal] = field(default_factory=list)
    #: Refusals' error codes, by line (``INVALID`` for what the file's own reading refused).
    codes: dict[int, str] = field(default_factory=dict)
    duplicates: list[tuple[int, Duplicate]] = field(default_factory=list)
    #: Set when the import stopped before the end (the token was revoked).
    stopped: str | None = None
    #: Whether nothing was imported because a line was refused (``all_or_nothing``).
    held_back: bool = False


async def import_file(
    path: Path,
    format: Format,
    actor: Actor,
    console: Console,
    *,
    dry_run: bool = False,
    all_or_nothing: bool = False,
) -> ImportReport:
    """Import the claims of the file at ``path`` as ``actor`` (``FileRefused`` if it cannot be
    read at all)."""
    records = read_claims(path, format)
    lines = [record for record in records if isinstance(record, ClaimLine)]
    unread = [record for record in records if isinstance(record, Refusal)]
    if all_or_nothing and not dry_run:
        check = await _run(lines, unread, actor, console, dry_run=True, label="Checking")
        if check.refused or check.stopped:
            check.dry_run, check.held_back = False, True
            return check
    label = "Checking" if dry_run else "Importing"
    return await _run(lines, unread, actor, console, dry_run=dry_run, label=label)


async def _run(
    lines: Sequence[ClaimLine],
    unread: Sequence[Refusal],
    actor: Actor,
    console: Console,
    *,
    dry_run: bool,
    label: str,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run, refused=list(unread))
    report.codes = {refusal.line: "INVALID" for refusal in unread}
    by_line = {line.line: line for line in lines}
    with Progress(console=console, transient=False) as progress:
        task = progress.add_task(f"{label} {len(lines)} claims", total=len(lines))
        outcomes = import_claims(actor, ((c.line, c.report) for c in lines), dry_run=dry_run)
        done = 0
        async for outcome in outcomes:
            _record(report, by_line[outcome.line], outcome)
            progress.advance(task)
            done += 1
            if done % REVOCATION_CHECK == 0 and await _revoked(actor):
                report.stopped = f"The token was revoked: stopped after {done} lines."
                break
    report.refused.sort(key=lambda refusal: refusal.line)
    return report


async def _revoked(actor: Actor) -> bool:
    return actor.token_id is not None and await token_is_revoked(actor.token_id)


def _record(report: ImportReport, line: ClaimLine, outcome: LineOutcome) -> None:
    if outcome.error is not None:
        error = outcome.error
        report.refused.append(Refusal(line.line, line.field_name(error.field), error.message))
        report.codes[line.line] = error.code.value
        return
    report.accepted += 1
    report.duplicates.extend((line.line, duplicate) for duplicate in outcome.duplicates)


def print_report(report: ImportReport, console: Console) -> None:
    """The refused lines and the possible duplicates as tables, then a summary line."""
    if report.refused:
        table = Table(title="Refused lines (nothing of them was written)", title_justify="left")
        for column in ("line", "field", "code", "reason"):
            table.add_column(column)
        for refusal in report.refused:
            table.add_row(
                str(refusal.line),
                Text(refusal.field),
                report.codes.get(refusal.line, "INVALID"),
                Text(refusal.reason),
            )
        console.print(table)
    if report.duplicates:
        table = Table(title="Possible duplicates", title_justify="left")
        for column in ("line", "duplicate of", "score", "says"):
            table.add_column(column)
        for line, duplicate in report.duplicates:
            table.add_row(str(line), *(Text(cell) for cell in _duplicate_cells(duplicate)))
        console.print(table)
    console.print(Text(summary(report)))


def summary(report: ImportReport) -> str:
    """One line saying what was done."""
    refused = f"{len(report.refused)} refused"
    if report.held_back:
        return f"Nothing imported (--all-or-nothing): {refused}, {report.accepted} good."
    if report.dry_run:
        return f"Dry run, nothing written: {report.accepted} would be imported, {refused}."
    stopped = f" {report.stopped}" if report.stopped else ""
    return f"Imported {report.accepted} claims, {refused}.{stopped}"


def _duplicate_cells(duplicate: Duplicate) -> tuple[str, str, str]:
    claim = duplicate.claim
    which = f"line {duplicate.line}" if duplicate.line is not None else claim_global_id(claim.id)
    return which, f"{duplicate.score:.2f}", clip(claim.summary_en or claim.summary_km, 60)


def write_refusals(report: ImportReport, path: Path) -> None:
    """The refused lines as CSV: line, field, code, reason."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["line", "field", "code", "reason"])
        for refusal in report.refused:
            code = report.codes.get(refusal.line, "INVALID")
            writer.writerow([refusal.line, refusal.field, code, refusal.reason])
