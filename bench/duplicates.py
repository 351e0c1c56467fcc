"""Near-duplicate detection: precision and recall on the labelled set, and reportClaim's time.

``python -m bench.duplicates [--claims 20000] [--reports 50] [--databases sqlite,postgres]``

1. Every pair of ``bench/duplicates.jsonl`` (Khmer and English; spelling variants, added or
   dropped words, reordered phrases, and non-duplicates on the same topic or in the same frame)
   is scored as ``possibleDuplicates`` scores it (``coordhub.similarity``; PostgreSQL's
   ``similarity()`` gives the same scores, tests/test_duplicates.py), and precision and recall
   at the default threshold (``coordhub.workflow.duplicates.THRESHOLD``) are printed, with the
   scores of each kind of pair.
2. ``--claims`` claims are written as ``reportClaim`` writes them, in bulk
   (``bench.seed.reported_claims``, a share dismissed, so public), then ``--reports`` more
   through GraphQL over ASGI, as the coordinator (who reads every claim) and as a reporter
   (public claims and its own), each with ``possibleDuplicates`` selected and without: the
   median and 95th percentile per ``reportClaim``. On SQLite always; on PostgreSQL too when
   ``COORDHUB_DATABASE_URL`` names one (the bench makes and drops a database there).
3. In the same database, the labelled set end to end (``haystack``): each pair's first text is
   reported, then each second text as the coordinator, and the answer's ``possibleDuplicates``
   is checked for the first: recall among ``--claims`` others (the candidate search must not
   lose a duplicate the score would keep), and how many non-duplicates were suggested.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import string
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.harness import ROOT, UNLIMITED, console_for_output, percentile
from coordhub.similarity import normalise, similarity

PAIRS = ROOT / "bench" / "duplicates.jsonl"
DATABASE = "coordhub_bench_duplicates"
REPORT = """
mutation($input: ReportClaimInput!) {
  reportClaim(input: $input) { claim { id } %s errors { code } }
}
"""
SUGGESTIONS = "possibleDuplicates { score claim { id } }"


@dataclass
class Haystack:
    """The labelled set reported among ``claims`` others: pairs whose first text was
    suggested for the second, by label."""

    claims: int
    found: int = 0
    duplicates: int = 0
    suggested: int = 0
    others: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.duplicates if self.duplicates else 1.0


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    """The labelled pairs: ``lang``, ``a``, ``b``, ``duplicate``, ``kind``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def quality(console: Console, threshold: float) -> tuple[float, float]:
    """Precision and recall on the labelled set at ``threshold``, with a table by kind."""
    pairs = load_pairs()
    scored = [(similarity(normalise(p["a"]), normalise(p["b"])), p) for p in pairs]
    tp = sum(1 for s, p in scored if s >= threshold and p["duplicate"])
    fp = sum(1 for s, p in scored if s >= threshold and not p["duplicate"])
    fn = sum(1 for s, p in scored if s < threshold and p["duplicate"])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    kinds: dict[tuple[str, str, bool], list[float]] = defaultdict(list)
    for s, p in scored:
        kinds[(p["lang"], p["kind"], p["duplicate"])].append(s)
    table = Table(title=f"{len(pairs)} labelled pairs, scored at threshold {threshold}")
    for column in ("language", "kind", "duplicate", "pairs", "min", "median", "max", "wrong"):
        table.add_column(column, justify="left" if column in ("language", "kind") else "right")
    for (lang, kind, duplicate), scores in sorted(kinds.items()):
        wrong = sum(1 for s in scores if (s >= threshold) != duplicate)
        table.add_row(
            lang,
            kind,
            "yes" if duplicate else "no",
            str(len(scores)),
            f"{min(scores):.2f}",
            f"{statistics.median(scores):.2f}",
            f"{max(scores):.2f}",
            str(wrong),
        )
    console.print(table)
    console.print(
        f"precision {precision:.3f}, recall {recall:.3f} "
        f"({tp} found, {fp} wrongly suggested, {fn} missed)"
    )
    return precision, recall


async def time_reports(
    database_url: str, claims: int, reports: int, console: Console
) -> tuple[dict[tuple[str, bool], list[float]], Haystack]:
    """Seconds per reportClaim over GraphQL, by (caller, with suggestions), at ``claims``; then
    the labelled set among them."""
    import httpx

    from bench.seed import reported_claims
    from coordhub.app import create_app
    from coordhub.db import database, migrate
    from coordhub.demo.scenario import sign_up
    from coordhub.models import Role
    from coordhub.settings import Settings

    for name, value in UNLIMITED.items():
        os.environ.setdefault(name, value)
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    # Tortoise caches compiled SQL per connection name, not per dialect: this process talks to
    # SQLite, then to PostgreSQL.
    EXECUTOR_CACHE.clear()
    settings = Settings(database_url=database_url)
    await migrate(settings)
    times: dict[tuple[str, bool], list[float]] = defaultdict(list)
    async with database(settings, global_fallback=False):
        started = time.perf_counter()
        await reported_claims(claims)
        console.print(f"  seeded {claims} claims in {time.perf_counter() - started:.0f} s")
        tokens = {
            "coordinator": (await sign_up("timed coordinator", Role.COORDINATOR, "moi"))[1],
            "reporter": (await sign_up("timed reporter", Role.REPORTER))[1],
        }
        app = create_app(settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            from bench.reads_corpus import OPENERS, PLACES, PREDICATES, SUBJECTS

            for n in range(reports):
                for who, token in tokens.items():
                    for suggestions in (True, False):
                        opener, subject = OPENERS[n % 5], SUBJECTS[(n * 7) % len(SUBJECTS)]
                        predicate = PREDICATES[(n * 3) % len(PREDICATES)]
                        place = PLACES[n % len(PLACES)]
                        summary = {
                            "km": f"{opener[0]}{subject[0]}{predicate[0]} {place[0]} ({n})",
                            "en": f"{opener[1]} {subject[1]} {predicate[1]} {place[1]} ({n})",
                        }
                        body = {
                            "query": REPORT % (SUGGESTIONS if suggestions else ""),
                            "variables": {"input": {"summary": summary, "topic": "bench"}},
                        }
                        began = time.perf_counter()
                        response = await http.post(
                            "/graphql", json=body, headers={"authorization": f"Bearer {token}"}
                        )
                        elapsed = time.perf_counter() - began
                        answer = response.json()
                        assert "errors" not in answer, answer
                        assert answer["data"]["reportClaim"]["errors"] == [], answer
                        if n >= 3:  # the first few warm caches up
                            times[(who, suggestions)].append(elapsed)
            found = await haystack(http, tokens["coordinator"], claims)
    return times, found


async def haystack(http: Any, token: str, claims: int) -> Haystack:
    """Report each labelled pair's first text once, then every second text, as the coordinator
    (who reads every claim): was the first among the second's ``possibleDuplicates``?"""
    headers = {"authorization": f"Bearer {token}"}
    rng = random.Random(15)

    async def report(text: str, lang: str) -> dict[str, Any]:
        # The other language's summary is random letters: it shares no trigram worth a score.
        other = "".join(rng.choice(string.ascii_lowercase) for _ in range(16))
        summary = {"km": text, "en": other} if lang == "km" else {"km": other, "en": text}
        body = {
            "query": REPORT % SUGGESTIONS,
            "variables": {"input": {"summary": summary, "topic": "labelled"}},
        }
        answer = (await http.post("/graphql", json=body, headers=headers)).json()
        assert "errors" not in answer and answer["data"]["reportClaim"]["errors"] == [], answer
        return answer["data"]["reportClaim"]

    pairs = load_pairs()
    first = {}
    for pair in pairs:
        if pair["a"] not in first:
            first[pair["a"]] = (await report(pair["a"], pair["lang"]))["claim"]["id"]
    result = Haystack(claims=claims)
    for pair in pairs:
        suggested = {
            d["claim"]["id"] for d in (await report(pair["b"], pair["lang"]))["possibleDuplicates"]
        }
        hit = first[pair["a"]] in suggested
        if pair["duplicate"]:
            result.duplicates += 1
            result.found += hit
        else:
            result.others += 1
            result.suggested += hit
    return result


def print_haystack(name: str, found: Haystack, console: Console) -> None:
    console.print(
        f"{name}, the labelled set among {found.claims:,} claims: recall {found.recall:.3f} "
        f"({found.found} of {found.duplicates} duplicates suggested), "
        f"{found.suggested} of {found.others} non-duplicates suggested"
    )


def print_times(
    name: str, claims: int, times: dict[tuple[str, bool], list[float]], console: Console
) -> None:
    table = Table(title=f"reportClaim on {name} with {claims:,} claims (ms)")
    for column in ("caller", "possibleDuplicates", "median", "p95", "reports"):
        table.add_column(column, justify="left" if column == "caller" else "right")
    for (who, suggestions), values in sorted(times.items()):
        table.add_row(
            who,
            "selected" if suggestions else "not selected",
            f"{statistics.median(values) * 1000:.1f}",
            f"{percentile(values, 0.95) * 1000:.1f}",
            str(len(values)),
        )
    console.print(table)


async def measure(claims: int, reports: int, console: Console, databases: set[str]) -> None:
    if "sqlite" in databases:
        with tempfile.TemporaryDirectory() as tmp:
            console.print(f"SQLite: {claims} claims…")
            url = f"sqlite://{tmp}/bench.db"
            times, found = await time_reports(url, claims, reports, console)
            print_times("SQLite", claims, times, console)
            print_haystack("SQLite", found, console)
    if "postgres" not in databases:
        return
    url = os.environ.get("COORDHUB_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        console.print(
            "PostgreSQL: set COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB to measure it."
        )
        return
    from bench.deliveries import Postgres

    server = Postgres(url)
    try:
        console.print(f"PostgreSQL: {claims} claims…")
        database = await server.create(DATABASE)
        times, found = await time_reports(database, claims, reports, console)
        print_times("PostgreSQL", claims, times, console)
        print_haystack("PostgreSQL", found, console)
    finally:
        await server.drop(DATABASE)


def main() -> None:
    from coordhub.workflow.duplicates import THRESHOLD

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=20_000, help="claims before timing")
    parser.add_argument("--reports", type=int, default=50, help="timed reports per caller")
    parser.add_argument("--quality-only", action="store_true", help="skip the timing")
    parser.add_argument(
        "--databases",
        default="sqlite,postgres",
        help="where to time reportClaim: sqlite, postgres or both (PostgreSQL only with "
        "COORDHUB_DATABASE_URL)",
    )
    args = parser.parse_args()
    console = console_for_output()
    quality(console, THRESHOLD)
    if not args.quality_only:
        databases = set(args.databases.split(","))
        asyncio.run(measure(args.claims, args.reports, console, databases))


if __name__ == "__main__":
    main()
