"""Claims reported in bulk (``coordhub claims import``): each line through ``report_claim``.

A line is one ``report_claim`` call as the importing actor, so it is cleaned, checked for
personal data and bounded exactly as ``reportClaim`` is, refused with the same typed error, and
recorded as a CLAIM_REPORTED event of that actor. A refused line writes nothing (the rule raises
before it writes); the lines around it are imported or not on their own.

A dry run makes the same call in a transaction that is then rolled back: the checks are the
rule's own, including any made against the database, and nothing stays written.

Each line's possible duplicates are the claims the actor may read that say nearly the same
thing (``duplicates.similar_claims``, as ``reportClaim``'s ``possibleDuplicates``) and the
earlier lines of the same file that do (``FileDuplicates``, scored by the same function): in a
dry run nothing is stored to compare with, and a claim this import created is named by its line.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from coordhub.actor import Actor
from coordhub.models import Claim
from coordhub.similarity import jaccard, trigrams
from coordhub.workflow.claims import REPORTERS, report_claim
from coordhub.workflow.duplicates import MAX_SUGGESTIONS, THRESHOLD, Probe, similar_claims
from coordhub.workflow.errors import WorkflowError
from coordhub.workflow.inputs import ClaimReport
from coordhub.workflow.permissions import require_role

#: In-file duplicates: how many earlier lines, ranked by the rarest trigrams they share with
#: a line, are scored, and how many lines those trigrams may list in all (bounds the cost of a
#: line, whatever the size of the file; the same idea as ``duplicates.CANDIDATES``).
CANDIDATES = 200
POSTINGS = 5_000


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A possible duplicate of a line: a stored claim, or an earlier line of the file (``line``:
    then ``claim`` is that line's, stored or, in a dry run, as it would have been)."""

    score: float
    claim: Claim
    line: int | None = None


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """What became of one line."""

    line: int
    #: The claim reported (in a dry run, as it would have been: its id is not kept).
    claim: Claim | None = None
    error: WorkflowError | None = None
    duplicates: list[Duplicate] = field(default_factory=list)


class _RolledBack(Exception):
    """Ends a dry run's transaction, carrying what the line gave."""

    def __init__(self, outcome: LineOutcome) -> None:
        super().__init__("dry run")
        self.outcome = outcome


def require_importer(actor: Actor | None) -> Actor:
    """The actor, if it may report claims (else the error ``report_claim`` would give)."""
    return require_role(actor, REPORTERS, "report claims")


async def import_claims(
    actor: Actor, lines: Iterable[tuple[int, ClaimReport]], *, dry_run: bool = False
) -> AsyncIterator[LineOutcome]:
    """Report each ``(line number, report)`` as ``actor``, in order, one transaction each;
    yields every line's outcome as it is made."""
    in_file = FileDuplicates()
    created: set[int] = set()
    for line, report in lines:
        try:
            if dry_run:
                async with in_transaction():
                    raise _RolledBack(await _report(actor, line, report, created))
            outcome = await _report(actor, line, report, created)
        except _RolledBack as rolled_back:
            outcome = rolled_back.outcome
        except WorkflowError as error:
            yield LineOutcome(line, error=error)
            continue
        assert outcome.claim is not None
        if not dry_run:
            created.add(outcome.claim.id)
        duplicates = in_file.match(outcome.claim) + outcome.duplicates
        duplicates.sort(key=lambda d: -d.score)
        in_file.add(line, outcome.claim)
        yield LineOutcome(line, outcome.claim, duplicates=duplicates[:MAX_SUGGESTIONS])


async def _report(actor: Actor, line: int, report: ClaimReport, created: set[int]) -> LineOutcome:
    claim = await report_claim(actor, report)
    found = await similar_claims(
        actor, Probe.of(claim.summary_km, claim.summary_en), exclude=claim.id
    )
    stored = [Duplicate(s.score, claim=s.claim) for s in found if s.claim.id not in created]
    return LineOutcome(line, claim, duplicates=stored)


class FileDuplicates:
    """The lines of one file so far, to find those that say nearly what a new line does: the
    score of ``duplicates.score`` (the higher of the Khmer and English trigram similarity) from
    ``duplicates.THRESHOLD`` up, among the ``CANDIDATES`` earlier lines sharing most of the
    line's rarest trigrams."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lines: dict[int, tuple[Claim, frozenset[str], frozenset[str]]] = {}
        #: Trigram (``k`` or ``e`` for its language, then the trigram) -> lines holding it.
        self._index: dict[str, list[int]] = defaultdict(list)

    def match(self, claim: Claim) -> list[Duplicate]:
        """Earlier lines that say nearly what ``claim`` does, best first."""
        km, en = _grams(claim)
        keys = sorted(_keys(km, en), key=lambda key: len(self._index.get(key, ())))
        shared: Counter[int] = Counter()
        listed = 0
        for key in keys:
            postings = self._index.get(key, [])
            if not postings:
                continue
            if shared and listed + len(postings) > POSTINGS:
                break
            shared.update(postings)
            listed += len(postings)
        found = []
        for line, _ in shared.most_common(CANDIDATES):
            theirs, their_km, their_en = self._lines[line]
            score = round(max(jaccard(km, their_km), jaccard(en, their_en)), 4)
            if score >= self.threshold:
                found.append(Duplicate(score, theirs, line=line))
        found.sort(key=lambda d: (-d.score, d.line))
        return found

    def add(self, line: int, claim: Claim) -> None:
        """Remember a line's claim for the lines after it."""
        km, en = _grams(claim)
        self._lines[line] = (claim, km, en)
        for key in _keys(km, en):
            self._index[key].append(line)


def _grams(claim: Claim) -> tuple[frozenset[str], frozenset[str]]:
    """The trigrams of the claim's summaries in their normal form (as stored for comparing)."""
    return trigrams(claim.similar_km), trigrams(claim.similar_en)


def _keys(km: frozenset[str], en: frozenset[str]) -> set[str]:
    return {f"k{gram}" for gram in km} | {f"e{gram}" for gram in en}
