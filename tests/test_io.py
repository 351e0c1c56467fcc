"""`coordhub claims import` and `coordhub rebuttals export`, through the command, on the
database of the run (SQLite or PostgreSQL)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from coordhub.cli import app
from coordhub.demo.scenario import Scenario, numbered
from coordhub.io import claim_files
from coordhub.io.claim_files import FileRefused, parse_claims
from coordhub.models import Account, Appearance, Claim, Event, EventType
from coordhub.settings import Settings
from coordhub.workflow.claims import claim_global_id, report_claim
from coordhub.workflow.inputs import MAX_SUMMARY, ClaimReport, Localized
from tests.flows import SAMPLE, desks
from tests.support import World, build_world, open_database

runner = CliRunner()
T = TypeVar("T")

HEADER = "summary_km,summary_en,topic,url,outlet,seen_at\n"
VACCINE_KM = SAMPLE.report.summary.km
VACCINE_EN = SAMPLE.report.summary.en
WATER_KM = "ទឹកម៉ាស៊ីនក្នុងរាជធានីភ្នំពេញត្រូវបានគេដាក់ថ្នាំពុល"
WATER_EN = "Phnom Penh tap water has been poisoned"


@dataclass
class Desk:
    """A migrated database with the test cast, and the environment the command reads."""

    url: str
    world: World
    monkeypatch: pytest.MonkeyPatch

    def run(self, coro: Callable[[], Awaitable[T]]) -> T:
        """Run ``coro`` on the database (between commands, as another process would)."""

        async def opened() -> T:
            async with open_database(Settings(database_url=self.url)):
                return await coro()

        return asyncio.run(opened())

    def as_(self, account: str) -> None:
        self.monkeypatch.setenv("COORDHUB_TOKEN", self.world.tokens[account])

    def counts(self) -> tuple[int, int, int]:
        async def count() -> tuple[int, int, int]:
            return (
                await Claim.all().count(),
                await Appearance.all().count(),
                await Event.all().count(),
            )

        return self.run(count)


@pytest.fixture
def desk(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Desk:
    monkeypatch.setenv("COORDHUB_DATABASE_URL", database_url)
    monkeypatch.delenv("COORDHUB_TOKEN", raising=False)
    made = Desk(database_url, World(), monkeypatch)
    made.world = made.run(build_world)
    made.as_("reporter")
    return made


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args), terminal_width=250)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def output(result: Result) -> str:
    return " ".join(result.output.split())


def table_rows(result: Result) -> list[list[str]]:
    """The cells of every table row printed (the first line of each: a long cell wraps)."""
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in result.output.splitlines()
        if line.startswith("│")
    ]
    return [row for row in rows if row[0]]


def jsonl(*objects: dict[str, Any]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in objects)


# -- import -----------------------------------------------------------------------------------


def test_a_csv_export_is_imported_as_the_tokens_account(desk: Desk, tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "monitoring.csv",
        HEADER + f"{VACCINE_KM},{VACCINE_EN},Health,https://social.example/p/1?utm_source=fb,"
        "Facebook,2026-11-20T08:00:00+07:00\n"
        f"{WATER_KM},{WATER_EN},water,,,\n",
    )

    result = invoke("claims", "import", str(file))

    assert result.exit_code == 0, result.output
    assert "Imported 2 claims, 0 refused." in output(result)

    async def stored() -> tuple[list[Claim], list[Appearance], list[Event], Account]:
        claims = await Claim.all().order_by("id")
        appearances = await Appearance.all()
        events = await Event.filter(type=EventType.CLAIM_REPORTED).order_by("seq")
        return claims, appearances, events, await Account.get(name="reporter")

    claims, appearances, events, reporter = desk.run(stored)
    assert [(c.summary_en, c.topic) for c in claims] == [
        (VACCINE_EN, "health"),
        (WATER_EN, "water"),
    ]
    assert {c.reported_by_id for c in claims} == {reporter.id}
    assert [a.url for a in appearances] == ["https://social.example/p/1"]  # tracking stripped
    assert [(e.claim_id, e.actor_id) for e in events] == [(c.id, reporter.id) for c in claims]


def test_a_json_lines_export_is_imported_with_its_appearances(desk: Desk, tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "monitoring.jsonl",
        jsonl(
            {
                "summary": {"km": WATER_KM, "en": WATER_EN},
                "topic": "water",
                "appearances": [
                    {
                        "url": "https://t.me/news_kh/812",
                        "outlet": "Telegram",
                        "seenAt": "2026-11-21T01:00:00Z",
                    },
                    {
                        "url": "https://social.example/p/2",
                        "outlet": "Facebook",
                        "seenAt": "2026-11-20T09:00:00+07:00",
                    },
                ],
                "firstSeenAt": "2026-11-19T22:00:00Z",
            }
        )
        + "\n"  # blank lines are skipped
        + jsonl({"summary": {"km": VACCINE_KM, "en": VACCINE_EN}, "topic": "health"}),
    )

    result = invoke("claims", "import", str(file))

    assert result.exit_code == 0, result.output
    assert desk.counts()[:2] == (2, 2)

    async def first() -> Claim:
        return await Claim.filter(topic="water").first()  # type: ignore[return-value]

    assert desk.run(first).first_seen_at.isoformat() == "2026-11-19T22:00:00+00:00"


def test_a_dry_run_checks_every_line_and_writes_nothing(desk: Desk, tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "monitoring.csv",
        HEADER
        + f"{WATER_KM},{WATER_EN},water,https://social.example/p/3,Facebook,2026-11-20T08:00Z\n"
        f"{WATER_KM},{WATER_EN},water,https://social.example/p/4,a@b.example,2026-11-20T08:00Z\n",
    )
    before = desk.counts()

    result = invoke("claims", "import", str(file), "--dry-run")

    assert result.exit_code == 1, result.output
    assert "Dry run, nothing written: 1 would be imported, 1 refused." in output(result)
    assert table_rows(result)[0][:3] == ["3", "outlet", "INVALID"]
    assert desk.counts() == before


def test_refused_lines_are_reported_and_write_nothing(desk: Desk, tmp_path: Path) -> None:
    good = f"{WATER_KM},{WATER_EN},water,https://social.example/p/5,Facebook,2026-11-20T08:00Z"
    file = write(
        tmp_path,
        "monitoring.csv",
        HEADER
        + good
        + "\n"
        + f"{WATER_KM},{WATER_EN},water,https://a.example/1,"
        + '"Sok Dara, +855 12 345 678",2026-11-20T08:00Z\n'
        + f"{WATER_KM},{WATER_EN},water,https://a.example/2,dara.sok@mail.example.com,2026-11-20T08:00Z\n"
        + f"{'ក' * (MAX_SUMMARY + 1)},{WATER_EN},water,,,\n"
        + f"{WATER_KM},{WATER_EN},water,https://a.example/3,Facebook,20 November 2026\n"
        + f"{WATER_KM},{WATER_EN},water,https://a.example/4,Facebook,2026-11-20T08:00\n"
        + f"{WATER_KM},{WATER_EN},water,https://www.facebook.com/sok.dara,Facebook,2026-11-20T08:00Z\n"
        + f"{WATER_KM},,water,,,\n"
        + f"{WATER_KM},{WATER_EN},water,,\n",
    )
    report = tmp_path / "refused.csv"

    result = invoke("claims", "import", str(file), "--report", str(report))

    assert result.exit_code == 1, result.output
    assert "Imported 1 claims, 8 refused." in output(result)
    with report.open(encoding="utf-8") as saved:
        refused = {int(row["line"]): row for row in csv.DictReader(saved)}
    assert {line: (row["field"], row["code"]) for line, row in refused.items()} == {
        3: ("outlet", "INVALID"),
        4: ("outlet", "INVALID"),
        5: ("summary_km", "INVALID"),
        6: ("seen_at", "INVALID"),
        7: ("seen_at", "INVALID"),
        8: ("url", "INVALID"),
        9: ("summary_en", "INVALID"),
        10: ("-", "INVALID"),
    }
    assert "phone number" in refused[3]["reason"]
    assert "e-mail" in refused[4]["reason"]
    assert f"At most {MAX_SUMMARY} characters" in refused[5]["reason"]
    assert "ISO 8601" in refused[6]["reason"]
    assert "timezone" in refused[7]["reason"]
    assert "profile" in refused[8]["reason"]
    assert "Must not be empty" in refused[9]["reason"]
    assert "5 fields where the header names 6" in refused[10]["reason"]
    # The table on stdout says the same.
    assert [row[0] for row in table_rows(result)] == [str(line) for line in refused]
    assert desk.counts()[:2] == (1, 1)  # the refused lines wrote nothing


def test_json_lines_refusals_name_the_json_path(desk: Desk, tmp_path: Path) -> None:
    appearance = {"url": "https://a.example/1", "outlet": "Facebook", "seenAt": "2026-11-20T08:00Z"}
    file = write(
        tmp_path,
        "monitoring.jsonl",
        jsonl(
            {"summary": {"km": WATER_KM, "en": WATER_EN}, "topic": "water", "sharedBy": "Sok Dara"},
            {"summary": WATER_EN, "topic": "water"},
            {
                "summary": {"km": WATER_KM, "en": WATER_EN},
                "topic": "water",
                "appearances": [appearance, {**appearance, "outlet": "+855 12 345 678"}],
            },
            {"summary": {"km": WATER_KM, "en": WATER_EN}, "topic": 7},
        )
        + '{"summary": \n'
        + "[1, 2]\n",
    )

    result = invoke("claims", "import", str(file))

    assert result.exit_code == 1, result.output
    assert [row[:2] for row in table_rows(result)] == [
        ["1", "sharedBy"],
        ["2", "summary"],
        ["3", "appearances.1.outlet"],
        ["4", "topic"],
        ["5", "-"],
        ["6", "-"],
    ]
    assert desk.counts()[0] == 0


def test_all_or_nothing_imports_nothing_when_a_line_is_refused(desk: Desk, tmp_path: Path) -> None:
    lines = [f"{WATER_KM} {n},{WATER_EN} {n},water,,," for n in range(3)]
    bad = write(tmp_path, "bad.csv", HEADER + "\n".join([*lines, f"{WATER_KM},,water,,,"]) + "\n")
    good = write(tmp_path, "good.csv", HEADER + "\n".join(lines) + "\n")

    refused = invoke("claims", "import", str(bad), "--all-or-nothing")
    assert refused.exit_code == 1, refused.output
    assert "Nothing imported (--all-or-nothing): 1 refused, 3 good." in output(refused)
    assert desk.counts()[0] == 0

    imported = invoke("claims", "import", str(good), "--all-or-nothing")
    assert imported.exit_code == 0, imported.output
    assert desk.counts()[0] == 3


def test_duplicates_are_suggested_from_the_database_and_from_the_file(
    desk: Desk, tmp_path: Path
) -> None:
    async def stored() -> tuple[int, int]:
        cast = await desks(desk.world)
        mine = await report_claim(cast.reporter, SAMPLE.report)
        # Reported by someone else and not public: the importer may not read it.
        hidden = ClaimReport(summary=Localized(km=WATER_KM, en=WATER_EN), topic="water")
        from coordhub.auth import actor_for_token

        other = await report_claim(await actor_for_token(desk.world.tokens["reporter2"]), hidden)
        return mine.id, other.id

    mine, hidden = desk.run(stored)
    file = write(
        tmp_path,
        "monitoring.csv",
        HEADER
        + f"{VACCINE_KM},{VACCINE_EN}!,health,,,\n"
        + f"{WATER_KM},{WATER_EN},water,,,\n"
        + f"{WATER_KM},{WATER_EN} today,water,,,\n"
        + "ពាក្យចចាមអារ៉ាមផ្សេងទៀត,Something else entirely about taxes,tax,,,\n",
    )

    for dry_run in (["--dry-run"], []):
        result = invoke("claims", "import", str(file), *dry_run)

        assert result.exit_code == 0, result.output
        suggested = {(row[0], row[1]) for row in table_rows(result)}
        assert suggested == {("2", claim_global_id(mine)), ("4", "line 3")}, result.output
        assert claim_global_id(hidden) not in result.output


def test_a_file_that_cannot_be_read_is_refused_whole(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = f"{WATER_KM},{WATER_EN},water,,,\n"
    monkeypatch.setattr(claim_files, "MAX_RECORDS", 2)
    cases = {
        "latin1.csv": (HEADER + "Caf\xe9,Cafe,water,,,\n").encode("latin-1"),
        "utf16.csv": (HEADER + row).encode("utf-16"),
        "columns.csv": ("summary_km,summary_en,topic,shared_by\n" + row).encode(),
        "missing.csv": b"summary_km,topic\nx,water\n",
        "twice.csv": b"summary_km,summary_en,topic,topic\nx,y,water,water\n",
        "quoting.csv": (HEADER + 'x,"y,water,,,\n').encode(),
        "many.csv": (HEADER + row * 3).encode(),
        "notes.txt": (HEADER + row).encode(),
    }
    messages = {
        "latin1.csv": "Line 2 is not UTF-8",
        "utf16.csv": "UTF-16",
        "columns.csv": "Unknown column 'shared_by'",
        "missing.csv": "lacks summary_en",
        "twice.csv": "Column 'topic' appears twice",
        "quoting.csv": "not valid CSV",
        "many.csv": "more than 2 claims",
        "notes.txt": "--format",
    }
    for name, data in cases.items():
        result = invoke("claims", "import", str(write(tmp_path, name, data)))
        assert result.exit_code == 2, (name, result.output)
        assert messages[name] in output(result), (name, result.output)
        assert "Nothing was imported." in output(result)
    assert desk.counts()[0] == 0

    with_bom = write(tmp_path, "bom.csv", ("\ufeff" + HEADER + row).encode())
    assert invoke("claims", "import", str(with_bom)).exit_code == 0
    as_jsonl = write(
        tmp_path, "notes.txt", jsonl({"summary": {"km": "ក", "en": "a"}, "topic": "t"})
    )
    assert invoke("claims", "import", str(as_jsonl), "--format", "jsonl").exit_code == 0


def test_the_importer_needs_a_token_that_may_report(desk: Desk, tmp_path: Path) -> None:
    file = write(tmp_path, "monitoring.csv", HEADER + f"{WATER_KM},{WATER_EN},water,,,\n")

    desk.as_("service")
    forbidden = invoke("claims", "import", str(file))
    assert forbidden.exit_code == 1 and "FORBIDDEN" in forbidden.output

    desk.monkeypatch.setenv("COORDHUB_TOKEN", "chub_not-a-token")
    unknown = invoke("claims", "import", str(file))
    assert unknown.exit_code == 2 and "unknown or has been revoked" in unknown.output
    assert desk.counts()[0] == 0


def test_lines_longer_than_the_limit_are_refused(desk: Desk, tmp_path: Path) -> None:
    huge = "x" * (claim_files.MAX_RECORD_BYTES + 1)
    file = write(
        tmp_path,
        "monitoring.jsonl",
        jsonl({"summary": {"km": huge, "en": "a"}, "topic": "t"})
        + jsonl({"summary": {"km": WATER_KM, "en": WATER_EN}, "topic": "water"}),
    )

    result = invoke("claims", "import", str(file))

    assert result.exit_code == 1
    assert table_rows(result)[0][:2] == ["1", "-"] and "Longer than" in output(result)
    assert desk.counts()[0] == 1


_LINE = st.one_of(
    st.text(max_size=200),
    st.builds(
        lambda parts: ",".join(parts),
        st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=30), max_size=8),
    ),
    st.builds(
        lambda value: json.dumps(value, ensure_ascii=False),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "summary",
                            "topic",
                            "appearances",
                            "km",
                            "en",
                            "url",
                            "outlet",
                            "seenAt",
                            "firstSeenAt",
                            "x",
                        ]
                    ),
                    inner,
                    max_size=5,
                )
            ),
            max_leaves=12,
        ),
    ),
)


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(_LINE, max_size=6), format=st.sampled_from(["csv", "jsonl"]), bom=st.booleans()
)
def test_arbitrary_lines_never_end_in_a_traceback(
    desk: Desk, tmp_path: Path, lines: list[str], format: str, bom: bool
) -> None:
    header = HEADER if format == "csv" else ""
    text = ("\ufeff" if bom else "") + header + "\n".join(lines) + "\n"
    file = tmp_path / f"fuzz.{format}"
    file.write_bytes(text.encode("utf-8", "surrogatepass"))

    result = runner.invoke(app, ["claims", "import", str(file), "--dry-run"])

    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output


@hypothesis_settings(max_examples=300, deadline=None, database=None)
@given(data=st.binary(max_size=400), format=st.sampled_from(["csv", "jsonl"]))
def test_any_bytes_read_as_records_or_a_refusal(data: bytes, format: str) -> None:
    try:
        records = parse_claims(data, format)  # type: ignore[arg-type]
    except FileRefused as refused:
        assert str(refused)
        return
    assert all(record.line >= 1 for record in records)


# -- export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """The rebuttals of the export tests, by what became of them."""

    published: int
    corrected: int
    retracted: int
    correction_pending: int
    unpublished: list[int]
    other_institution: int


@pytest.fixture
def record(desk: Desk) -> Record:
    async def build() -> Record:
        settings = Settings(database_url=desk.url)
        scenario = Scenario(await desks(desk.world), settings)

        async def rebuttal(state: str, n: int, lead: str = "health") -> int:
            story = replace(numbered(n), lead=lead)
            return (await scenario.rebuttal(state, story=story)).id  # type: ignore[arg-type]

        published = await rebuttal("PUBLISHED", 1)
        corrected = await rebuttal("CORRECTED", 2)
        retracted = await rebuttal("RETRACTED", 3)
        pending = await rebuttal("CORRECTION_APPROVED", 4)
        unpublished = [
            await rebuttal(s, 5 + i) for i, s in enumerate(("DRAFT", "IN_REVIEW", "APPROVED"))
        ]
        other = await rebuttal("PUBLISHED", 9, lead="education")
        return Record(published, corrected, retracted, pending, unpublished, other)

    return desk.run(build)


def global_id(rebuttal_id: int) -> str:
    from strawberry.relay import to_base64

    return to_base64("Rebuttal", rebuttal_id)


def exported(*args: str) -> str:
    result = invoke("rebuttals", "export", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_csv_export_holds_the_public_record_only(desk: Desk, record: Record) -> None:
    rows = list(csv.DictReader(io.StringIO(exported("--format", "csv"))))

    by_id = {row["id"]: row for row in rows}
    public = [
        record.published,
        record.corrected,
        record.retracted,
        record.correction_pending,
        record.other_institution,
    ]
    assert list(by_id) == [global_id(i) for i in public]
    corrected = by_id[global_id(record.corrected)]
    assert (corrected["revision"], corrected["headline_en"]) == ("2", "Not true 2 (corrected)")
    pending = by_id[global_id(record.correction_pending)]
    assert (pending["revision"], pending["headline_en"]) == ("1", "Not true 4")
    retracted = by_id[global_id(record.retracted)]
    assert retracted["status"] == "RETRACTED"
    assert retracted["retraction_reason_en"] == "The source was withdrawn."
    assert retracted["retraction_reason_km"] == "ប្រភពត្រូវបានដកវិញ។"
    assert retracted["retracted_at"]
    assert by_id[global_id(record.published)]["status"] == "PUBLISHED"

    english = list(csv.DictReader(io.StringIO(exported("--format", "csv", "--language", "en"))))
    assert "headline_en" in english[0] and "headline_km" not in english[0]


def test_the_json_lines_export_filters_by_institution_and_language(
    desk: Desk, record: Record, tmp_path: Path
) -> None:
    target = tmp_path / "health.jsonl"
    result = invoke(
        "rebuttals",
        "export",
        "--format",
        "jsonl",
        "--institution",
        "health",
        "--language",
        "km",
        "--output",
        str(target),
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 4 public rebuttals" in output(result)
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]

    assert [line["id"] for line in lines] == [
        global_id(i)
        for i in (record.published, record.corrected, record.retracted, record.correction_pending)
    ]
    assert {line["institution"]["slug"] for line in lines} == {"health"}
    assert lines[1]["headline"] == {"km": "មិនពិតទេ 2 (កែតម្រូវ)"}
    assert lines[2]["status"] == "RETRACTED"
    assert lines[2]["retractionReason"] == {"km": "ប្រភពត្រូវបានដកវិញ។"}
    assert lines[0]["evidence"] == [
        {"url": "https://who.example/x", "title": {"km": "ប្រភព"}, "note": {"km": ""}}
    ]
    assert not list(tmp_path.glob("*.partial"))

    unknown = invoke(
        "rebuttals",
        "export",
        "--format",
        "jsonl",
        "--institution",
        "nowhere",
        "--output",
        str(tmp_path / "x.jsonl"),
    )
    assert unknown.exit_code == 1 and "NOT_FOUND" in unknown.output
    assert not (tmp_path / "x.jsonl").exists() and not list(tmp_path.glob("*.partial"))


def test_the_claimreview_export_is_the_renderers_markup(desk: Desk, record: Record) -> None:
    feed = json.loads(exported("--format", "claimreview"))

    assert feed["@type"] == "DataFeed"
    reviews = feed["dataFeedElement"]
    assert len(reviews) == 2 * 5  # each public rebuttal in English and in Khmer
    for review in reviews:
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["inLanguage"] in ("en", "km")
        assert review["author"]["@type"] == "Organization"
        assert review["itemReviewed"]["@type"] == "Claim"
        rating = review["reviewRating"]
        assert (rating["@type"], rating["worstRating"], rating["bestRating"]) == ("Rating", 1, 5)
        assert review["url"].startswith(Settings().public_base_url)
    english = {r["@id"].rsplit("/", 1)[1]: r for r in reviews if r["inLanguage"] == "en"}
    assert english[str(record.retracted)]["creativeWorkStatus"] == "Retracted"
    assert english[str(record.corrected)]["correction"]["@type"] == "CorrectionComment"
    assert english[str(record.corrected)]["headline"] == "Not true 2 (corrected)"
    assert "creativeWorkStatus" not in english[str(record.published)]
    assert english[str(record.published)]["workTranslation"][0]["@id"].endswith(
        f"/km/rebuttals/{record.published}"
    )
    unpublished = {str(i) for i in record.unpublished}
    assert unpublished.isdisjoint(english)

    khmer = json.loads(exported("--format", "claimreview", "--language", "km"))["dataFeedElement"]
    assert {r["inLanguage"] for r in khmer} == {"km"} and len(khmer) == 5


def test_the_export_reads_in_pages(
    desk: Desk, record: Record, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coordhub.io import rebuttal_export

    monkeypatch.setattr(rebuttal_export, "PAGE", 2)
    rows = list(csv.DictReader(io.StringIO(exported("--format", "csv"))))
    assert len(rows) == 5
