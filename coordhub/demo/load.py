"""Load the demo data through the workflow, exactly as users would have produced it: each seed
claim is driven to its target state by ``coordhub.demo.scenario``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from coordhub.actor import Actor
from coordhub.demo.accounts import DEMO_ACCOUNTS
from coordhub.demo.claims import CLAIMS
from coordhub.demo.institutions import INSTITUTIONS
from coordhub.demo.scenario import Desks, Scenario, Story, sign_up
from coordhub.demo.seeds import ClaimSeed, RebuttalSeed
from coordhub.models import (
    Account,
    Claim,
    DismissalReason,
    Institution,
    InstitutionKind,
    Priority,
    Role,
    Verdict,
)
from coordhub.settings import Settings
from coordhub.workflow.inputs import (
    AppearanceInput,
    ClaimReport,
    EvidenceInput,
    Localized,
    RebuttalContent,
)
from coordhub.workflow.institutions import import_institutions


@dataclass(frozen=True, slots=True)
class DemoToken:
    """A demo account's token, printed once."""

    name: str
    role: Role
    institution: str | None
    secret: str


class _DemoDesks(Desks):
    """The demo accounts' desks; an institution without one gets a token-less desk account."""

    def __init__(
        self,
        institutions: dict[str, Institution],
        reporter: Actor,
        coordinator: Actor,
        staff: list[Actor],
    ) -> None:
        super().__init__(reporter, coordinator, staff)
        self.institutions = institutions

    async def hire(self, role: Role, institution: str) -> Actor:
        where = self.institutions[institution]
        account = await Account.create(
            name=f"{where.name_en} {role.value.lower()} desk 1", role=role, institution=where
        )
        return Actor(
            account_id=account.id,
            name=account.name,
            role=role,
            institution_id=where.id,
            institution_slug=institution,
        )


def _content(seed: RebuttalSeed) -> RebuttalContent:
    return RebuttalContent(
        verdict=Verdict(seed["verdict"]),
        headline=Localized(km=seed["headline_km"], en=seed["headline_en"]),
        body=Localized(km=seed["body_km"], en=seed["body_en"]),
        evidence=[
            EvidenceInput(
                url=item["url"],
                title=Localized(km=item["title_km"], en=item["title_en"]),
                note=Localized(km=item["note_km"], en=item["note_en"]),
            )
            for item in seed["evidence"]
        ],
        channels=list(seed["channels"]),
    )


def _story(seed: ClaimSeed, now: datetime) -> Story:
    """The seed as a scenario story, its times counted back from ``now``."""
    report = ClaimReport(
        summary=Localized(km=seed["summary_km"], en=seed["summary_en"]),
        topic=seed["topic"],
        appearances=[
            AppearanceInput(
                url=a["url"], outlet=a["outlet"], seen_at=now - timedelta(hours=a["hours_ago"])
            )
            for a in seed["appearances"]
        ],
        first_seen_at=now - timedelta(hours=seed["first_seen_hours_ago"]),
    )
    story = Story(
        report=report,
        lead=seed["lead"],
        supporting=tuple(seed["supporting"]),
        priority=Priority(seed["priority"]),
    )
    if "rebuttal" in seed:
        story = replace(story, rebuttal=_content(seed["rebuttal"]))
    if "correction" in seed:
        story = replace(story, correction=_content(seed["correction"]))
    if "retraction_reason_km" in seed and "retraction_reason_en" in seed:
        reason = Localized(km=seed["retraction_reason_km"], en=seed["retraction_reason_en"])
        story = replace(story, retraction_reason=reason)
    if "dismissal_reason" in seed:
        note = Localized(km=seed["dismissal_note_km"], en=seed["dismissal_note_en"])
        story = replace(
            story, dismissal_reason=DismissalReason(seed["dismissal_reason"]), dismissal_note=note
        )
    return story


async def _drive(scenario: Scenario, seed: ClaimSeed, claims: dict[str, Claim]) -> None:
    """Take the seed's claim to its target state, as the demo desks. CORRECTED and RETRACTED
    are the states of the claim's rebuttal (the claim is REBUTTED and IN_PROGRESS)."""
    story = _story(seed, datetime.now(UTC))
    state = seed["target_state"]
    if state == "CORRECTED" or state == "RETRACTED":
        rebuttal = await scenario.rebuttal(state, story=story)
        claims[seed["key"]] = await Claim.get(id=rebuttal.claim_id)
    else:
        into = claims[seed["merge_into"]] if state == "MERGED" else None
        claims[seed["key"]] = await scenario.claim(state, story=story, into=into)


def working_group() -> list[tuple[str, str, str, InstitutionKind]]:
    """The institutions of the working group, as (slug, Khmer name, English name, kind)."""
    return [
        (seed["slug"], seed["name_km"], seed["name_en"], InstitutionKind(seed["kind"]))
        for seed in INSTITUTIONS
    ]


async def load_demo(settings: Settings) -> list[DemoToken] | None:
    """Load institutions, demo accounts and claims into an empty database.

    Returns the demo tokens (shown once), or ``None`` if the database already has claims or
    accounts. Institutions already registered are kept.
    """
    if await Claim.exists() or await Account.exists():
        return None
    await import_institutions(working_group())
    institutions = {i.slug: i for i in await Institution.all()}
    tokens = []
    staff = []
    for account_seed in DEMO_ACCOUNTS:
        role = Role(account_seed["role"])
        actor, secret = await sign_up(account_seed["name"], role, account_seed["institution"])
        staff.append(actor)
        tokens.append(
            DemoToken(
                name=account_seed["name"],
                role=role,
                institution=account_seed["institution"],
                secret=secret,
            )
        )
    reporter = next(actor for actor in staff if actor.role == Role.REPORTER)
    coordinator = next(actor for actor in staff if actor.role == Role.COORDINATOR)
    desks = _DemoDesks(institutions, reporter, coordinator, staff)
    scenario = Scenario(desks, settings)
    claims: dict[str, Claim] = {}
    ordered = sorted(CLAIMS, key=lambda seed: seed["target_state"] == "MERGED")
    for seed in ordered:
        await _drive(scenario, seed, claims)
    return tokens
