"""Read throughput and latency of the public GraphQL hot paths, beside a plain reference.

Front-ends poll and page through claims and rebuttals far more often than anyone writes. This
seeds a database of ``--claims`` claims (default 20,000) with bulk inserts through coordhub's
own Tortoise models, starts ``coordhub serve`` and ``bench.reference`` (plain Starlette, raw
SQL, orjson, no ORM and no GraphQL) on it, checks that both return byte-for-byte the same body
for each operation, then drives both with the same load and prints, per operation, req/s, p50,
p99, SQL statements per request and the coordhub/reference throughput ratio.

    python -m bench.reads [--claims 20000] [--seconds 5] [--concurrency 32]
                          [--operations feed,detail,rebuttals,filtered,search]
    COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB python -m bench.reads ...

Operations, all as a public caller (no token), the path front-ends poll:

- ``feed``: the 50 newest claims, their lead institution's name, their rebuttals' headline and
  status;
- ``detail``: one rebutted claim by ``node(id:)`` with its rebuttals' revisions and evidence;
- ``rebuttals``: the 50 newest public rebuttals (headline, verdict, revision, institution);
- ``filtered``: ``claims(first: 50, filter: {status: [REBUTTED], institution: "health"})``;
- ``search``: ``claims(first: 20, filter: {text: <a Khmer phrase>})``, in about 1% of claims.

Databases. SQLite by default: the seeded file is cached as
``/tmp/coordhub-bench/reads-v<seed version>-<migrations>-<claims>.db`` and reused by later
runs with the same size (delete it, or pass ``--fresh``, to seed again; the seed is
deterministic, so a rebuilt file holds the same rows). With ``COORDHUB_DATABASE_URL`` naming a
PostgreSQL server, the harness creates the database ``coordhub_bench_<claims>`` on that server,
migrates and seeds it, marks it complete in its comment and reuses it the same way; ``--drop``
drops it when the run ends.

Measurement. Both servers run under uvicorn with logging quiet (``coordhub serve`` with
``COORDHUB_LOG_LEVEL=warning``, ``python -m bench.reference`` without access log), pinned to
CPU 0 with ``taskset``; the load generator (``bench.load``, its own process) is pinned to
CPU 1. For each operation, concurrency (``--concurrency`` and 1) and server in turn:
``--warmup`` seconds on the run's keep-alive connections, then ``--seconds`` measured; the next
run starts once both servers are idle. ``--client raw`` (default) is a lean asyncio HTTP/1.1
client, ``httpx`` an httpx.AsyncClient pool, ``wrk`` the C tool (see ``bench.load``).
SQL statements per request are counted in this process: coordhub's app over
``httpx.ASGITransport`` with the ``tortoise.db_client`` logger captured, the reference through
its own statement counter. The database server (PostgreSQL) is not pinned and shares the
machine's cores with the rest: read ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
import orjson
from rich.console import Console
from rich.table import Table

from bench import load
from coordhub.db import database, migrate
from coordhub.models import (
    Account,
    Appearance,
    Claim,
    ClaimStatus,
    ClaimSupport,
    DismissalReason,
    Evidence,
    Institution,
    InstitutionKind,
    Priority,
    Rebuttal,
    RebuttalRevision,
    RebuttalStatus,
    Role,
    Verdict,
)
from coordhub.settings import Settings
from coordhub.workflow.inputs import search_text

ROOT = Path(__file__).resolve().parents[1]
COORDHUB = str(Path(sys.executable).parent / "coordhub")
CACHE_DIR = Path(tempfile.gettempdir()) / "coordhub-bench"
#: Bump when the seeded data changes: cached databases of another version are not reused.
SEED_VERSION = 2
SEED = 20251125
BATCH = 1000
#: The phrase the text search looks for ("fake vaccine"), in about 1% of claim summaries.
KHMER_PHRASE = "វ៉ាក់សាំងក្លែងក្លាយ"
PHRASE_SHARE = 0.01
BASE_TIME = datetime(2025, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=365)

# -- seeding ---------------------------------------------------------------------------------

INSTITUTIONS: list[tuple[str, str, str, InstitutionKind]] = [
    ("moi", "ក្រសួងព័ត៌មាន", "Ministry of Information", InstitutionKind.COORDINATOR),
    ("health", "ក្រសួងសុខាភិបាល", "Ministry of Health", InstitutionKind.MINISTRY),
    (
        "education",
        "ក្រសួងអប់រំ យុវជន និងកីឡា",
        "Ministry of Education, Youth and Sport",
        InstitutionKind.MINISTRY,
    ),
    ("interior", "ក្រសួងមហាផ្ទៃ", "Ministry of Interior", InstitutionKind.MINISTRY),
    ("defence", "ក្រសួងការពារជាតិ", "Ministry of National Defence", InstitutionKind.MINISTRY),
    (
        "foreign-affairs",
        "ក្រសួងការបរទេស និងសហប្រតិបត្តិការអន្តរជាតិ",
        "Ministry of Foreign Affairs and International Cooperation",
        InstitutionKind.MINISTRY,
    ),
    (
        "economy",
        "ក្រសួងសេដ្ឋកិច្ច និងហិរញ្ញវត្ថុ",
        "Ministry of Economy and Finance",
        InstitutionKind.MINISTRY,
    ),
    (
        "agriculture",
        "ក្រសួងកសិកម្ម រុក្ខាប្រមាញ់ និងនេសាទ",
        "Ministry of Agriculture, Forestry and Fisheries",
        InstitutionKind.MINISTRY,
    ),
    ("commerce", "ក្រសួងពាណិជ្ជកម្ម", "Ministry of Commerce", InstitutionKind.MINISTRY),
    ("environment", "ក្រសួងបរិស្ថាន", "Ministry of Environment", InstitutionKind.MINISTRY),
    ("justice", "ក្រសួងយុត្តិធម៌", "Ministry of Justice", InstitutionKind.MINISTRY),
    (
        "labour",
        "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ",
        "Ministry of Labour and Vocational Training",
        InstitutionKind.MINISTRY,
    ),
    ("tourism", "ក្រសួងទេសចរណ៍", "Ministry of Tourism", InstitutionKind.MINISTRY),
    (
        "public-works",
        "ក្រសួងសាធារណការ និងដឹកជញ្ជូន",
        "Ministry of Public Works and Transport",
        InstitutionKind.MINISTRY,
    ),
    (
        "post-telecom",
        "ក្រសួងប្រៃសណីយ៍ និងទូរគមនាគមន៍",
        "Ministry of Post and Telecommunications",
        InstitutionKind.MINISTRY,
    ),
    ("mines-energy", "ក្រសួងរ៉ែ និងថាមពល", "Ministry of Mines and Energy", InstitutionKind.MINISTRY),
    (
        "water",
        "ក្រសួងធនធានទឹក និងឧតុនិយម",
        "Ministry of Water Resources and Meteorology",
        InstitutionKind.MINISTRY,
    ),
    (
        "rural-development",
        "ក្រសួងអភិវឌ្ឍន៍ជនបទ",
        "Ministry of Rural Development",
        InstitutionKind.MINISTRY,
    ),
    (
        "culture",
        "ក្រសួងវប្បធម៌ និងវិចិត្រសិល្បៈ",
        "Ministry of Culture and Fine Arts",
        InstitutionKind.MINISTRY,
    ),
    ("womens-affairs", "ក្រសួងកិច្ចការនារី", "Ministry of Women's Affairs", InstitutionKind.MINISTRY),
    (
        "social-affairs",
        "ក្រសួងសង្គមកិច្ច អតីតយុទ្ធជន និងយុវនីតិសម្បទា",
        "Ministry of Social Affairs, Veterans and Youth Rehabilitation",
        InstitutionKind.MINISTRY,
    ),
    ("planning", "ក្រសួងផែនការ", "Ministry of Planning", InstitutionKind.MINISTRY),
    (
        "industry",
        "ក្រសួងឧស្សាហកម្ម វិទ្យាសាស្ត្រ បច្ចេកវិទ្យា និងនវានុវត្តន៍",
        "Ministry of Industry, Science, Technology and Innovation",
        InstitutionKind.MINISTRY,
    ),
    (
        "land",
        "ក្រសួងរៀបចំដែនដី នគរូបនីយកម្ម និងសំណង់",
        "Ministry of Land Management, Urban Planning and Construction",
        InstitutionKind.MINISTRY,
    ),
    (
        "cults-religion",
        "ក្រសួងធម្មការ និងសាសនា",
        "Ministry of Cults and Religion",
        InstitutionKind.MINISTRY,
    ),
    ("civil-service", "ក្រសួងមុខងារសាធារណៈ", "Ministry of Civil Service", InstitutionKind.MINISTRY),
    (
        "national-bank",
        "ធនាគារជាតិនៃកម្ពុជា",
        "National Bank of Cambodia",
        InstitutionKind.STATE_INSTITUTION,
    ),
    (
        "nec",
        "គណៈកម្មាធិការជាតិរៀបចំការបោះឆ្នោត",
        "National Election Committee",
        InstitutionKind.STATE_INSTITUTION,
    ),
    (
        "police",
        "អគ្គស្នងការដ្ឋាននគរបាលជាតិ",
        "General Commissariat of National Police",
        InstitutionKind.STATE_INSTITUTION,
    ),
    (
        "ncdm",
        "គណៈកម្មាធិការជាតិគ្រប់គ្រងគ្រោះមហន្តរាយ",
        "National Committee for Disaster Management",
        InstitutionKind.STATE_INSTITUTION,
    ),
]

#: (Khmer, English) fragments that summaries, headlines and bodies are assembled from.
SUBJECTS = [
    ("ទឹកក្រូចឆ្មាលាយអំបិល", "lime juice with salt"),
    ("ថ្នាំបុរាណពីភូមិមួយ", "a village herbal remedy"),
    ("ក្រដាសប្រាក់រៀលថ្មី", "the new riel banknotes"),
    ("ការចុះឈ្មោះបោះឆ្នោត", "voter registration"),
    ("ទឹកជំនន់ទន្លេមេគង្គ", "the Mekong floods"),
    ("តម្លៃអង្ករ", "the price of rice"),
    ("សាលារៀនរដ្ឋ", "public schools"),
    ("ស្ពានព្រែកតាម៉ាក់", "the Prek Tamak bridge"),
    ("អគ្គិសនីកម្ពុជា", "the national power grid"),
    ("ទឹកស្អាតក្នុងក្រុង", "city tap water"),
    ("ប័ណ្ណសមធម៌", "the equity card"),
    ("ពន្ធលើម៉ូតូ", "the motorbike tax"),
    ("សៀវភៅសិក្សាថ្មី", "the new textbooks"),
    ("ជំងឺគ្រុនឈាម", "dengue fever"),
    ("ត្រីពីបឹងទន្លេសាប", "fish from the Tonle Sap"),
    ("ប្រព័ន្ធ៥ជី", "the 5G network"),
    ("កម្មករនៅបរទេស", "workers abroad"),
    ("ប្រាសាទអង្គរវត្ត", "Angkor Wat"),
    ("ផ្លូវជាតិលេខ៤", "National Road 4"),
    ("ធនាគារឯកជន", "private banks"),
]
PREDICATES = [
    ("អាចព្យាបាលជំងឺមហារីកបាន", "cures cancer"),
    ("នឹងត្រូវបិទនៅសប្តាហ៍ក្រោយ", "will be shut down next week"),
    ("ត្រូវបានហាមឃាត់ទាំងស្រុង", "has been banned outright"),
    ("បង្កគ្រោះថ្នាក់ដល់កុមារ", "harms children"),
    ("នឹងឡើងថ្លៃទ្វេដង", "will double in price"),
    ("ត្រូវបានលក់ឱ្យក្រុមហ៊ុនបរទេស", "was sold to a foreign company"),
    ("មានសារធាតុពុល", "contains poison"),
    ("នឹងត្រូវលុបចោលពីថ្ងៃស្អែក", "will be abolished from tomorrow"),
    ("បណ្តាលឱ្យមានការផ្ទុះជំងឺ", "caused an outbreak"),
    ("ត្រូវបានបំពុលដោយរោងចក្រ", "was polluted by a factory"),
    ("នឹងត្រូវគិតថ្លៃសេវាថ្មី", "will carry a new fee"),
    ("មិនមានសុពលភាពទៀតទេ", "is no longer valid"),
    ("ត្រូវបានរំលោភទិន្នន័យ", "suffered a data breach"),
    ("នឹងបាក់ក្នុងរដូវវស្សា", "will collapse in the rainy season"),
    ("ត្រូវបានលួចចម្លង", "was counterfeited"),
]
PLACES = [
    ("នៅរាជធានីភ្នំពេញ", "in Phnom Penh"),
    ("នៅខេត្តសៀមរាប", "in Siem Reap"),
    ("នៅខេត្តបាត់ដំបង", "in Battambang"),
    ("នៅខេត្តកំពត", "in Kampot"),
    ("នៅខេត្តព្រះសីហនុ", "in Preah Sihanouk"),
    ("នៅខេត្តកំពង់ចាម", "in Kampong Cham"),
    ("នៅខេត្តតាកែវ", "in Takeo"),
    ("នៅខេត្តរតនគិរី", "in Ratanakiri"),
    ("នៅខេត្តស្វាយរៀង", "in Svay Rieng"),
    ("នៅខេត្តកោះកុង", "in Koh Kong"),
    ("ទូទាំងប្រទេស", "nationwide"),
    ("នៅតាមព្រំដែន", "along the border"),
]
OPENERS = [
    ("មានការអះអាងថា", "Posts claim that"),
    ("វីដេអូមួយបង្ហាញថា", "A video says"),
    ("សារដែលកំពុងចែកចាយថា", "A forwarded message says"),
    ("គណនីក្លែងក្លាយមួយសរសេរថា", "A fake account writes that"),
    ("", "It is said that"),
]
BODY_SENTENCES = [
    (
        "ក្រសួងបានពិនិត្យឯកសារ និងទិន្នន័យផ្លូវការទាំងអស់ ហើយមិនឃើញភស្តុតាងណាមួយគាំទ្រការអះអាងនេះទេ។",
        "The ministry reviewed every official record and found no evidence supporting this claim.",
    ),
    (
        "រូបភាពដែលកំពុងចែកចាយត្រូវបានថតនៅឆ្នាំ២០១៩ នៅប្រទេសផ្សេង។",
        "The pictures being shared were taken in 2019, in another country.",
    ),
    (
        "អ្នកជំនាញផ្នែកសុខាភិបាលបញ្ជាក់ថា គ្មានការសិក្សាវិទ្យាសាស្ត្រណាមួយគាំទ្រការអះអាងនេះទេ។",
        "Health experts confirm that no scientific study supports it.",
    ),
    (
        "សូមប្រជាពលរដ្ឋពិនិត្យប្រភពព័ត៌មានមុនពេលចែករំលែក។",
        "Citizens are asked to check the source before sharing.",
    ),
    (
        "សេចក្តីប្រកាសផ្លូវការត្រូវបានចុះផ្សាយនៅលើគេហទំព័ររបស់ក្រសួង។",
        "The official announcement is published on the ministry's website.",
    ),
    (
        "តួលេខដែលបានលើកឡើងមិនត្រូវគ្នានឹងស្ថិតិជាតិទេ។",
        "The figures quoted do not match the national statistics.",
    ),
    (
        "ក្រសួងនឹងបន្តតាមដាន និងផ្តល់ព័ត៌មានបន្ថែមនៅពេលចាំបាច់។",
        "The ministry will keep monitoring and will say more if needed.",
    ),
    (
        "សេវាកម្មនេះនៅតែដំណើរការធម្មតា និងមិនគិតថ្លៃបន្ថែមទេ។",
        "The service runs as usual, at no extra charge.",
    ),
]
OUTLETS = ["Facebook", "TikTok", "Telegram", "YouTube", "X", "a news site"]
EVIDENCE_SOURCES = [
    ("who.int", "World Health Organization fact sheet"),
    ("moh.gov.kh", "Ministry of Health announcement"),
    ("nis.gov.kh", "National Institute of Statistics data"),
    ("akp.gov.kh", "AKP report"),
    ("nbc.gov.kh", "National Bank of Cambodia notice"),
    ("mekong.example", "Mekong River Commission bulletin"),
]
DISMISSAL_NOTES = {
    DismissalReason.ACCURATE: ("ព័ត៌មាននេះត្រឹមត្រូវ។", "This information is accurate."),
    DismissalReason.NOT_NEWS: ("នេះជាការបញ្ចេញមតិ មិនមែនព័ត៌មានទេ។", "This is opinion, not news."),
    DismissalReason.OUT_OF_SCOPE: ("ក្រៅវិសាលភាពរបស់ក្រុមការងារ។", "Outside the group's remit."),
    DismissalReason.INSUFFICIENT_REACH: ("ការចែកចាយមានកម្រិតតិចតួច។", "It barely circulated."),
}
SLA_HOURS = {Priority.CRITICAL: 4, Priority.HIGH: 24, Priority.NORMAL: 72, Priority.LOW: 168}
VERDICTS = (
    [Verdict.FALSE] * 5
    + [Verdict.MISLEADING] * 3
    + [
        Verdict.MISSING_CONTEXT,
        Verdict.UNSUPPORTED,
    ]
)
CHANNELS: list[list[str]] = [["akp"], ["akp", "tvk"], [], ["ministry-app"]]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass
class Batch:
    """The rows of one chunk of claims, in insertion order (parents before children)."""

    claims: list[Claim] = field(default_factory=list)
    supports: list[ClaimSupport] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    rebuttals: list[Rebuttal] = field(default_factory=list)
    revisions: list[RebuttalRevision] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def lists(self) -> list[list[Any]]:
        return [
            self.claims,
            self.supports,
            self.appearances,
            self.rebuttals,
            self.revisions,
            self.evidence,
        ]


class Seeder:
    """Deterministic rows for ``count`` claims, with explicit primary keys (for bulk inserts).

    About 45% of claims are REBUTTED by a published rebuttal of their lead institution (1-2
    revisions, 1-3 evidence items each; a few with a correction under way, a few with a second
    rebuttal by a supporting institution), 2% were rebutted and the rebuttal retracted (back to
    IN_PROGRESS, still public), 8% DISMISSED (public), the rest REPORTED, TRIAGED or
    IN_PROGRESS with an unpublished working copy (not public).
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.rng = random.Random(SEED)
        self.ids = {"support": 0, "appearance": 0, "rebuttal": 0, "revision": 0, "evidence": 0}
        # Institution i has id i + 1; accounts: an editor and an approver per institution.
        self.weights = [
            0 if slug == "moi" else 5 if slug == "health" else 1 for slug, *_ in INSTITUTIONS
        ]

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    @staticmethod
    def editor(institution_id: int) -> int:
        return 2 * institution_id - 1

    @staticmethod
    def approver(institution_id: int) -> int:
        return 2 * institution_id

    @property
    def reporters(self) -> list[int]:
        return [2 * len(INSTITUTIONS) + k for k in (1, 2, 3)]

    def accounts(self) -> list[Account]:
        rows = []
        for index, (slug, *_) in enumerate(INSTITUTIONS):
            institution_id = index + 1
            for account_id, role in (
                (self.editor(institution_id), Role.EDITOR),
                (self.approver(institution_id), Role.APPROVER),
            ):
                rows.append(
                    Account(
                        id=account_id,
                        name=f"{slug} {role.value.lower()}",
                        role=role,
                        institution_id=institution_id,
                        created_at=BASE_TIME - timedelta(days=30),
                    )
                )
        for k, account_id in enumerate(self.reporters):
            rows.append(
                Account(
                    id=account_id,
                    name=f"reporter {k + 1}",
                    role=Role.REPORTER,
                    created_at=BASE_TIME - timedelta(days=30),
                )
            )
        return rows

    def institutions(self) -> list[Institution]:
        return [
            Institution(
                id=index + 1,
                slug=slug,
                name_km=nfc(km),
                name_en=en,
                kind=kind,
                created_at=BASE_TIME - timedelta(days=60),
            )
            for index, (slug, km, en, kind) in enumerate(INSTITUTIONS)
        ]

    def moment(self, start: datetime, low_hours: float, high_hours: float) -> datetime:
        """A time between ``low_hours`` and ``high_hours`` after ``start``.

        One in eight falls on a whole second (no microseconds), as clocks sometimes give.
        """
        value = start + timedelta(hours=self.rng.uniform(low_hours, high_hours))
        if self.rng.random() < 0.125:
            value = value.replace(microsecond=0)
        return value

    def summary(self) -> tuple[str, str]:
        rng = self.rng
        opener = rng.choice(OPENERS)
        subject, predicate, place = rng.choice(SUBJECTS), rng.choice(PREDICATES), rng.choice(PLACES)
        if rng.random() < PHRASE_SHARE:
            subject = (KHMER_PHRASE + subject[0], "fake vaccines and " + subject[1])
        km = f"{opener[0]}{subject[0]}{predicate[0]} {place[0]}"
        en = f"{opener[1]} {subject[1]} {predicate[1]} {place[1]}."
        return nfc(km), en[0].upper() + en[1:]

    def body(self) -> tuple[str, str]:
        picked = self.rng.sample(BODY_SENTENCES, self.rng.randint(2, 5))
        return nfc(" ".join(km for km, _ in picked)), " ".join(en for _, en in picked)

    def evidence_items(self, revision_id: int) -> list[dict[str, str]]:
        items = []
        for position in range(self.rng.randint(1, 3)):
            domain, title = self.rng.choice(EVIDENCE_SOURCES)
            items.append(
                {
                    "url": f"https://{domain}/fact-check/{revision_id}-{position}",
                    "title": f"{title} #{revision_id}",
                    "note": "",
                }
            )
        return items

    def chunk(self, first: int, last: int) -> Batch:
        """Rows of claims ``first``..``last`` (inclusive)."""
        batch = Batch()
        for claim_id in range(first, last + 1):
            self.claim(batch, claim_id)
        return batch

    def claim(self, batch: Batch, claim_id: int) -> None:
        rng = self.rng
        created = BASE_TIME + SPAN * (claim_id / (self.count + 1))
        created = created.replace(microsecond=rng.randrange(1_000_000))
        summary_km, summary_en = self.summary()
        draw = rng.random()
        kind = (
            "rebutted"
            if draw < 0.45
            else "retracted"
            if draw < 0.47
            else "dismissed"
            if draw < 0.55
            else "reported"
            if draw < 0.70
            else "triaged"
            if draw < 0.85
            else "in_progress"
        )
        triaged = kind != "reported" and not (kind == "dismissed" and rng.random() < 0.5)
        lead = rng.choices(range(1, len(INSTITUTIONS) + 1), self.weights)[0] if triaged else None
        topic = INSTITUTIONS[lead - 1][0] if lead else rng.choice(["health", "rumour", "general"])
        seen = [self.moment(created, -48, 0) for _ in range(rng.randint(1, 3))]
        claim = Claim(
            id=claim_id,
            summary_km=summary_km,
            summary_en=summary_en,
            topic=topic,
            status=ClaimStatus.REPORTED,
            priority=Priority.NORMAL,
            first_seen_at=min(seen),
            reported_by_id=rng.choice(self.reporters),
            lead_institution_id=lead,
            public=False,
            search_text=search_text(summary_km, summary_en, topic),
            created_at=created,
        )
        batch.claims.append(claim)
        for seen_at in seen:
            outlet = rng.choice(OUTLETS)
            batch.appearances.append(
                Appearance(
                    id=self.next_id("appearance"),
                    claim_id=claim_id,
                    url=f"https://{outlet.lower().replace(' ', '-')}.example/p/{claim_id}",
                    outlet=outlet,
                    seen_at=seen_at,
                )
            )
        if lead is None:
            if kind == "dismissed":
                self.dismiss(claim, created)
            return
        supporters = rng.sample(
            [i for i in range(2, len(INSTITUTIONS) + 1) if i != lead],
            rng.choices((0, 1, 2), (6, 3, 1))[0],
        )
        for institution_id in supporters:
            batch.supports.append(
                ClaimSupport(
                    id=self.next_id("support"), claim_id=claim_id, institution_id=institution_id
                )
            )
        claim.status = ClaimStatus.TRIAGED
        claim.priority = rng.choice(list(Priority))
        claim.triaged_at = self.moment(created, 0.5, 6)
        claim.due_at = claim.triaged_at + timedelta(hours=SLA_HOURS[claim.priority])
        if kind == "dismissed":
            self.dismiss(claim, claim.triaged_at)
        elif kind == "in_progress":
            claim.status = ClaimStatus.IN_PROGRESS
            self.rebuttal(batch, claim, lead, published=False)
        elif kind in ("rebutted", "retracted"):
            rebuttal = self.rebuttal(batch, claim, lead, published=True)
            claim.status = ClaimStatus.REBUTTED
            claim.public = True
            claim.rebutted_at = rebuttal.published_at
            if kind == "retracted":
                rebuttal.status = RebuttalStatus.RETRACTED
                rebuttal.retracted_at = self.moment(rebuttal.published_at, 24, 240)
                rebuttal.retraction_reason = "Superseded by new information from the field."
                rebuttal.draft_authors = []
                claim.status = ClaimStatus.IN_PROGRESS
            elif supporters and rng.random() < 0.25:
                self.rebuttal(batch, claim, supporters[0], published=rng.random() < 0.5)

    def dismiss(self, claim: Claim, after: datetime) -> None:
        reason = self.rng.choice(list(DismissalReason))
        claim.status = ClaimStatus.DISMISSED
        claim.dismissal_reason = reason
        claim.dismissal_note_km, claim.dismissal_note_en = DISMISSAL_NOTES[reason]
        claim.dismissed_at = self.moment(after, 1, 24)
        claim.public = True

    def rebuttal(
        self, batch: Batch, claim: Claim, institution_id: int, published: bool
    ) -> Rebuttal:
        rng = self.rng
        assert claim.triaged_at is not None
        rebuttal_id = self.next_id("rebuttal")
        verdict = rng.choice(VERDICTS)
        channels = rng.choice(CHANNELS)
        headline_km, headline_en = self.headline(claim)
        body_km, body_en = self.body()
        evidence = self.evidence_items(0)
        rebuttal = Rebuttal(
            id=rebuttal_id,
            claim_id=claim.id,
            institution_id=institution_id,
            status=rng.choice(
                [
                    RebuttalStatus.DRAFT,
                    RebuttalStatus.IN_REVIEW,
                    RebuttalStatus.CHANGES_REQUESTED,
                    RebuttalStatus.APPROVED,
                ]
            ),
            verdict=verdict,
            headline_km=headline_km,
            headline_en=headline_en,
            body_km=body_km,
            body_en=body_en,
            evidence=evidence,
            channels=channels,
            draft_authors=[self.editor(institution_id)],
            created_by_id=self.editor(institution_id),
            created_at=self.moment(claim.triaged_at, 0.1, 2),
        )
        batch.rebuttals.append(rebuttal)
        if not published:
            return rebuttal
        at = self.moment(rebuttal.created_at, 1, 30)
        for number in range(1, 2 if rng.random() < 0.7 else 3):
            revision_id = self.next_id("revision")
            if number > 1:
                at = self.moment(at, 24, 240)
                headline_km = nfc("កែតម្រូវ៖ " + headline_km)
                headline_en = "Correction: " + headline_en
                body_km, body_en = self.body()
                verdict = rng.choice(VERDICTS)
            items = self.evidence_items(revision_id)
            batch.revisions.append(
                RebuttalRevision(
                    id=revision_id,
                    rebuttal_id=rebuttal_id,
                    number=number,
                    verdict=verdict,
                    headline_km=headline_km,
                    headline_en=headline_en,
                    body_km=body_km,
                    body_en=body_en,
                    channels=channels,
                    approved_by_id=self.approver(institution_id),
                    published_by_id=self.editor(institution_id),
                    published_at=at,
                )
            )
            for position, item in enumerate(items):
                batch.evidence.append(
                    Evidence(
                        id=self.next_id("evidence"),
                        revision_id=revision_id,
                        position=position,
                        **item,
                    )
                )
            if number == 1:
                rebuttal.published_at = at
            rebuttal.live_revision = number
            rebuttal.live_verdict = verdict
            rebuttal.verdict = verdict
            rebuttal.headline_km, rebuttal.headline_en = headline_km, headline_en
            rebuttal.body_km, rebuttal.body_en = body_km, body_en
            rebuttal.evidence = items
        rebuttal.status = RebuttalStatus.PUBLISHED
        rebuttal.draft_authors = []
        if rng.random() < 0.03:  # a correction under way: the working copy differs, unpublished
            rebuttal.status = RebuttalStatus.DRAFT
            rebuttal.verdict = rng.choice(VERDICTS)
            rebuttal.headline_en = "[draft] " + rebuttal.headline_en
            rebuttal.headline_km = nfc("[សេចក្តីព្រាង] " + rebuttal.headline_km)
            rebuttal.draft_authors = [self.editor(institution_id)]
        return rebuttal

    def headline(self, claim: Claim) -> tuple[str, str]:
        rng = self.rng
        km = rng.choice(["មិនពិតទេ៖ ", "ព័ត៌មានមិនពិត៖ ", "បំភ្លៃ៖ "])
        en = rng.choice(["False: ", "Not true: ", "Misleading: "])
        return nfc(km + claim.summary_km[:80]), en + claim.summary_en[:120]


async def seed(count: int, console: Console) -> None:
    """Insert ``count`` claims and their rows into the open (migrated, empty) database."""
    from tortoise.transactions import in_transaction

    seeder = Seeder(count)
    await Institution.bulk_create(seeder.institutions())
    await Account.bulk_create(seeder.accounts())
    started = time.perf_counter()
    for first in range(1, count + 1, BATCH):
        batch = seeder.chunk(first, min(first + BATCH - 1, count))
        async with in_transaction():
            for rows in batch.lists():
                if rows:
                    await type(rows[0]).bulk_create(rows, batch_size=BATCH)
        done = min(first + BATCH - 1, count)
        if done % 100_000 == 0 or done == count:
            rate = done / (time.perf_counter() - started)
            console.print(f"  {done:>9,} claims seeded ({rate:,.0f}/s)")


def migrations_key() -> str:
    """A short digest of the migration files: a cached database of other migrations is stale."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "coordhub" / "migrations").glob("0*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def seed_mark(count: int) -> str:
    return f"coordhub-bench reads v{SEED_VERSION} {migrations_key()} {count} complete"


async def seed_database(database_url: str, count: int, console: Console) -> None:
    """Migrate the (empty) database at ``database_url`` and seed it."""
    settings = Settings(database_url=database_url)
    await migrate(settings)
    async with database(settings, global_fallback=False):
        await seed(count, console)
        from tortoise import connections

        client = connections.get("default")
        if database_url.startswith("sqlite"):
            await client.execute_script("ANALYZE")
        else:
            for table in (
                "claim",
                "claim_support",
                "appearance",
                "rebuttal",
                "rebuttal_revision",
                "evidence",
                "account",
                "institution",
            ):
                await client.execute_script(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f'(SELECT coalesce(max(id), 1) FROM "{table}"))'
                )
            await client.execute_script("ANALYZE")


async def sqlite_database(count: int, fresh: bool, console: Console) -> tuple[str, float | None]:
    """The cached seeded SQLite file's URL, seeding it first if needed (and the seconds taken)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"reads-v{SEED_VERSION}-{migrations_key()}-{count}.db"
    if path.exists() and not fresh:
        console.print(f"Using the cached seeded database {path}")
        return f"sqlite://{path}", None
    building = path.with_suffix(".building")
    for stale in (building, *building.parent.glob(building.name + "-*")):
        stale.unlink(missing_ok=True)
    console.print(f"Seeding {count:,} claims into {path} …")
    started = time.perf_counter()
    await seed_database(f"sqlite://{building}", count, console)
    seconds = time.perf_counter() - started
    os.replace(building, path)
    return f"sqlite://{path}", seconds


def postgres_urls(server_url: str, count: int) -> tuple[str, str]:
    """(the server's URL as given, the URL of the bench database on that server)."""
    parts = urlsplit(server_url)
    return server_url, urlunsplit(parts._replace(path=f"/coordhub_bench_{count}"))


async def postgres_database(
    server_url: str, count: int, fresh: bool, console: Console
) -> tuple[str, float | None]:
    """The seeded ``coordhub_bench_<count>`` database on the server, seeding it if needed."""
    import asyncpg

    admin_url, url = postgres_urls(server_url, count)
    name = f"coordhub_bench_{count}"
    admin = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    try:
        mark = await admin.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            name,
        )
        if mark == seed_mark(count) and not fresh:
            console.print(f"Using the seeded PostgreSQL database {name}")
            return url, None
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        console.print(f"Seeding {count:,} claims into PostgreSQL database {name} …")
        started = time.perf_counter()
        await seed_database(url, count, console)
        seconds = time.perf_counter() - started
        await admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{seed_mark(count)}'")
        return url, seconds
    finally:
        await admin.close()


async def drop_postgres_database(server_url: str, count: int) -> None:
    import asyncpg

    admin = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "coordhub_bench_{count}" WITH (FORCE)')
    finally:
        await admin.close()


# -- operations ------------------------------------------------------------------------------

FEED = """{ claims(first: 50) { edges { node {
  id summary { km en } status leadInstitution { name { en } }
  rebuttals { headline { en } status }
} } } }"""
DETAIL = """query($id: ID!) { node(id: $id) { ... on Claim {
  id summary { km en } topic status firstSeenAt rebuttedAt
  leadInstitution { slug name { km en } }
  rebuttals {
    id status verdict revision publishedAt institution { slug }
    revisions { number publishedAt headline { en km } body { en } evidence { url title } }
  }
} } }"""
REBUTTALS = """{ rebuttals(first: 50) { edges { node {
  id headline { en km } verdict revision publishedAt institution { slug }
} } } }"""
FILTERED = """{ claims(first: 50, filter: {status: [REBUTTED], institution: "health"}) {
  edges { node { id summary { en } status rebuttedAt leadInstitution { slug } } }
} }"""
SEARCH = """query($text: String!) { claims(first: 20, filter: {text: $text}) {
  edges { node { id summary { km en } status } }
} }"""


@dataclass(frozen=True)
class Operation:
    """One read: the GraphQL document coordhub answers and the reference endpoint's path."""

    name: str
    title: str
    query: str
    variables: dict[str, Any]
    path: str

    @property
    def graphql_body(self) -> bytes:
        return orjson.dumps({"query": self.query, "variables": self.variables})


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


async def detail_claim_id() -> int:
    """The newest public claim whose rebuttal has a correction (two revisions), else any."""
    row = (
        await Rebuttal.filter(live_revision=2, claim__status=ClaimStatus.REBUTTED)
        .order_by("-claim_id")
        .first()
    )
    if row is None:
        row = (
            await Rebuttal.filter(claim__status=ClaimStatus.REBUTTED).order_by("-claim_id").first()
        )
    if row is None:
        raise RuntimeError("the database has no rebutted claim")
    return row.claim_id


def operations(detail_id: int) -> dict[str, Operation]:
    claim = global_id("Claim", detail_id)
    return {
        op.name: op
        for op in (
            Operation("feed", "claims feed (50)", FEED, {}, "/feed"),
            Operation("detail", "claim detail", DETAIL, {"id": claim}, f"/claims/{claim}"),
            Operation("rebuttals", "public rebuttals (50)", REBUTTALS, {}, "/rebuttals"),
            Operation(
                "filtered",
                "filtered claims (50)",
                FILTERED,
                {},
                "/claims?status=REBUTTED&institution=health",
            ),
            Operation(
                "search",
                "Khmer text search (20)",
                SEARCH,
                {"text": KHMER_PHRASE},
                f"/search?text={quote(KHMER_PHRASE)}",
            ),
        )
    }


class StatementCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends (as tests.support does)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.lstrip().split(" ", 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            self.statements.append(message)


@contextlib.contextmanager
def count_statements() -> Iterator[StatementCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)


async def coordhub_in_process(
    database_url: str, selected: list[str]
) -> tuple[dict[str, Operation], dict[str, tuple[int, bytes]]]:
    """The operations (the detail claim found in the data), and per operation the statements
    coordhub sends for one request and the body it returns, in this process over ASGI."""
    from coordhub.app import create_app

    settings = Settings(database_url=database_url)
    found: dict[str, tuple[int, bytes]] = {}
    async with database(settings, global_fallback=False):
        ops = operations(await detail_claim_id())
        app = create_app(settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            for name in selected:
                op = ops[name]
                headers = {"content-type": "application/json"}
                await http.post("/graphql", content=op.graphql_body, headers=headers)  # warm
                with count_statements() as counter:
                    response = await http.post("/graphql", content=op.graphql_body, headers=headers)
                found[name] = (len(counter.statements), response.content)
    return ops, found


async def reference_in_process(
    database_url: str, ops: dict[str, Operation], selected: list[str]
) -> dict[str, tuple[int, bytes]]:
    """Per operation, the reference's statements for one request and its body."""
    from bench import reference

    app = reference.create_app(database_url)
    found: dict[str, tuple[int, bytes]] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            for name in selected:
                before = app.state.db.statements
                response = await http.get(ops[name].path)
                found[name] = (app.state.db.statements - before, response.content)
    return found


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(
    name: str, command: list[str], env: dict[str, str], cpu: int | None, logs: Path
) -> Server:
    port = free_port()
    command = [*command, "--port", str(port)]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    log = logs / f"{name}.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=errors,  # warnings and errors, shown if the server does not start
        )
    return Server(name, f"http://127.0.0.1:{port}", process, log)


async def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(timeout=2) as http:
        while True:
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(f"{server.url}/healthz")).status_code == 200:
                    return
            if server.process.poll() is not None or time.monotonic() > deadline:
                tail = server.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{server.name} did not start:\n{tail}")
            await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def servers(database_url: str, cpu: int | None) -> AsyncIterator[tuple[Server, Server]]:
    """``coordhub serve`` and the reference, both on ``database_url``, pinned to ``cpu``."""
    with tempfile.TemporaryDirectory(prefix="coordhub-bench-") as logs:
        env = {
            "COORDHUB_DATABASE_URL": database_url,
            "COORDHUB_EMBEDDED_WORKER": "false",
            "COORDHUB_ENVIRONMENT": "production",
            # No access log or info lines: the reference logs nothing per request either.
            "COORDHUB_LOG_LEVEL": "warning",
        }
        started: list[Server] = []
        try:
            started.append(spawn("coordhub", [COORDHUB, "serve"], env, cpu, Path(logs)))
            started.append(
                spawn("reference", [sys.executable, "-m", "bench.reference"], env, cpu, Path(logs))
            )
            for server in started:
                await wait_until_up(server)
            yield started[0], started[1]
        finally:
            for server in started:
                server.stop()


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    start = max(0, at - 120)
    return (
        f"bodies differ at byte {at} ({len(a)} vs {len(b)} bytes):\n"
        f"  coordhub:  …{a[start : at + 120].decode(errors='replace')}\n"
        f"  reference: …{b[start : at + 120].decode(errors='replace')}"
    )


async def guard(
    coordhub: Server,
    reference: Server,
    ops: dict[str, Operation],
    selected: list[str],
    in_process: dict[str, tuple[int, bytes]],
) -> dict[str, int]:
    """Assert both servers return the same, non-empty, error-free body; their sizes."""
    sizes = {}
    async with httpx.AsyncClient(timeout=60) as http:
        for name in selected:
            op = ops[name]
            ours = await http.post(
                f"{coordhub.url}/graphql",
                content=op.graphql_body,
                headers={"content-type": "application/json"},
            )
            theirs = await http.get(f"{reference.url}{op.path}")
            body = ours.content
            if ours.status_code != 200 or theirs.status_code != 200:
                raise SystemExit(f"{name}: status {ours.status_code} / {theirs.status_code}")
            parsed = orjson.loads(body)
            if "errors" in parsed or b'"edges":[]' in body or parsed["data"].get("node", 1) is None:
                raise SystemExit(f"{name}: coordhub answered nothing to compare: {body[:500]!r}")
            if body != theirs.content:
                raise SystemExit(f"{name}: {first_difference(body, theirs.content)}")
            if body != in_process[name][1]:
                raise SystemExit(f"{name}: the server and the in-process app disagree")
            sizes[name] = len(body)
    return sizes


@dataclass
class Row:
    op: Operation
    concurrency: int
    coordhub: load.Result
    reference: load.Result


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process so far, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


async def wait_idle(servers: list[Server], limit: float = 300) -> None:
    """Until no server used more than a tick of CPU in 0.2 s (leftover work would otherwise
    be charged to the next run, which may be the other server's: both share one CPU)."""
    if not sys.platform.startswith("linux"):  # reads /proc
        return
    deadline = time.monotonic() + limit
    before = [cpu_ticks(s.process.pid) for s in servers]
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        after = [cpu_ticks(s.process.pid) for s in servers]
        if all(b - a <= 1 for a, b in zip(before, after, strict=True)):
            return
        before = after


async def measure(
    coordhub: Server,
    reference: Server,
    ops: dict[str, Operation],
    selected: list[str],
    levels: list[int],
    args: argparse.Namespace,
    cpu: int | None,
    console: Console,
) -> list[Row]:
    rows = []
    for name in selected:
        op = ops[name]
        requests = {
            "coordhub": load.Request(
                url=f"{coordhub.url}/graphql",
                method="POST",
                body=op.graphql_body,
                headers={"Content-Type": "application/json"},
            ),
            "reference": load.Request(url=f"{reference.url}{op.path}"),
        }
        for concurrency in levels:
            results = {}
            for system, request in requests.items():
                await wait_idle([coordhub, reference])
                results[system] = await asyncio.to_thread(
                    load.measure, request, concurrency, args.warmup, args.seconds, cpu, args.client
                )
            row = Row(op, concurrency, results["coordhub"], results["reference"])
            console.print(
                f"  {name:<10} c={concurrency:<3} coordhub {row.coordhub.rate:8.1f} req/s "
                f"({row.coordhub.completed} done)  reference {row.reference.rate:8.1f} req/s "
                f"({row.reference.completed} done)"
            )
            rows.append(row)
    return rows


def render(
    rows: list[Row],
    statements: dict[str, tuple[int, int]],
    sizes: dict[str, int],
    title: str,
    console: Console,
) -> None:
    for concurrency in sorted({row.concurrency for row in rows}, reverse=True):
        table = Table(title=f"{title}, concurrency {concurrency}")
        table.add_column("operation")
        for column in (
            "body bytes",
            "coordhub req/s",
            "reference req/s",
            "ratio",
            "coordhub p50 / p99 ms",
            "reference p50 / p99 ms",
            "SQL per request coordhub / ref",
        ):
            table.add_column(column, justify="right")
        for row in (r for r in rows if r.concurrency == concurrency):
            ours, theirs = row.coordhub, row.reference
            errors = ours.errors + theirs.errors
            table.add_row(
                row.op.title + (f" [red]({errors} errors)[/red]" if errors else ""),
                f"{sizes[row.op.name]:,}",
                f"{ours.rate:,.0f}",
                f"{theirs.rate:,.0f}",
                f"[bold]{ours.rate / theirs.rate:.2f}[/bold]" if theirs.rate else "-",
                f"{ours.p50_ms:.1f} / {ours.p99_ms:.1f}",
                f"{theirs.p50_ms:.1f} / {theirs.p99_ms:.1f}",
                "{} / {}".format(*statements[row.op.name]),
            )
        console.print(table)
    console.print("ratio = coordhub req/s / reference req/s (1.00: as fast as plain SQL + orjson)")


async def main(args: argparse.Namespace) -> None:
    # Wide enough for the tables when the output is not a terminal (rich then assumes 80).
    console = Console() if sys.stdout.isatty() else Console(width=150)
    names = list(operations(0))
    selected = [name.strip() for name in args.operations.split(",") if name.strip()]
    unknown = set(selected) - set(names)
    if unknown:
        raise SystemExit(f"unknown operations: {', '.join(sorted(unknown))} (of {names})")
    pinned = (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None
    server_cpu, load_cpu = (0, 1) if pinned else (None, None)
    if not pinned:
        console.print("[yellow]fewer than 2 CPUs or no taskset: nothing is pinned[/yellow]")

    server_url = os.environ.get("COORDHUB_DATABASE_URL", "")
    postgres = server_url.startswith(("postgres://", "postgresql://"))
    if postgres:
        server_url = server_url.replace("postgresql://", "postgres://", 1)
        database_url, seeded = await postgres_database(server_url, args.claims, args.fresh, console)
    else:
        database_url, seeded = await sqlite_database(args.claims, args.fresh, console)
    if seeded is not None:
        console.print(f"Seeded {args.claims:,} claims in [bold]{seeded:.1f} s[/bold]")
    try:
        ops, ours = await coordhub_in_process(database_url, selected)
        theirs = await reference_in_process(database_url, ops, selected)
        statements = {name: (ours[name][0], theirs[name][0]) for name in selected}
        levels = sorted({args.concurrency, 1}, reverse=True)
        async with servers(database_url, server_cpu) as (coordhub, reference):
            sizes = await guard(coordhub, reference, ops, selected, ours)
            console.print(
                f"Bodies identical for {', '.join(selected)}; measuring with the {args.client} "
                f"client, servers on CPU {server_cpu}, load on CPU {load_cpu}, "
                f"{args.seconds:g} s per system after {args.warmup:g} s of warm-up"
            )
            rows = await measure(
                coordhub, reference, ops, selected, levels, args, load_cpu, console
            )
    finally:
        if postgres and args.drop:
            await drop_postgres_database(server_url, args.claims)
    dialect = "PostgreSQL" if postgres else "SQLite"
    render(rows, statements, sizes, f"Public reads, {dialect}, {args.claims:,} claims", console)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--claims", type=int, default=20_000, help="claims to seed")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per run")
    parser.add_argument("--concurrency", type=int, default=32, help="besides concurrency 1")
    parser.add_argument(
        "--operations",
        default="feed,detail,rebuttals,filtered,search",
        help="comma-separated subset of feed,detail,rebuttals,filtered,search",
    )
    parser.add_argument(
        "--client", choices=load.CLIENTS, default="raw", help="load generator (see bench.load)"
    )
    parser.add_argument("--fresh", action="store_true", help="seed again, ignoring the cache")
    parser.add_argument(
        "--drop", action="store_true", help="PostgreSQL: drop coordhub_bench_<claims> at the end"
    )
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
