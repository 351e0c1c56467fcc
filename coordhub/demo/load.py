"""Load the demo data through the workflow, exactly as users would have produced it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from coordhub.actor import Actor
from coordhub.auth import create_token
from coordhub.demo.accounts import DEMO_ACCOUNTS
from coordhub.demo.claims import CLAIMS
from coordhub.demo.institutions import INSTITUTIONS
from coordhub.demo.seeds import ClaimSeed, RebuttalSeed
from coordhub.models import (
    Account,
    Claim,
    DismissalReason,
    Institution,
    InstitutionKind,
    Priority,
    Rebuttal,
    ReviewDecision,
    Role,
    Verdict,
)
from coordhub.settings import Settings
from coordhub.workflow import claims as claim_flow
from coordhub.workflow import rebuttals as rebuttal_flow
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


class _Desks:
    """Actors for the demo: the printed demo accounts, plus token-less desks where needed."""

    def __init__(self, institutions: dict[str, Institution]) -> None:
        self.institutions = institutions
        self.actors: dict[tuple[Role, str | None], list[Actor]] = {}

    def add(self, account: Account, slug: str | None) -> None:
        actor = Actor(
            account_id=account.id,
            name=account.name,
            role=Role(account.role),
            institution_id=self.institutions[slug].id if slug else None,
            institution_slug=slug,
        )
        self.actors.setdefault((actor.role, slug), []).append(actor)

    async def get(self, role: Role, slug: str | None = None, index: int = 0) -> Actor:
        found = self.actors.get((role, slug), [])
        while len(found) <= index:
            name = f"{self.institutions[slug].name_en if slug else 'Demo'} {role.value.lower()}"
            account = await Account.create(
                name=f"{name} desk {len(found) + 1}",
                role=role,
                institution=self.institutions[slug] if slug else None,
            )
            self.add(account, slug)
            found = self.actors[(role, slug)]
        return found[index]


def _content(seed: RebuttalSeed) -> RebuttalContent:
    return RebuttalContent(
        verdict=Verdict(seed["verdict"]),
        headline=Localized(km=seed["headline_km"], en=seed["headline_en"]),
        body=Localized(km=seed["body_km"], en=seed["body_en"]),
        evidence=[EvidenceInput(**item) for item in seed["evidence"]],
        channels=list(seed["channels"]),
    )


async def _publish_round(
    desks: _Desks, slug: str, rebuttal: Rebuttal, settings: Settings
) -> Rebuttal:
    editor = await desks.get(Role.EDITOR, slug)
    approver = await desks.get(Role.APPROVER, slug)
    await rebuttal_flow.submit_rebuttal(editor, rebuttal.id)
    await rebuttal_flow.review_rebuttal(approver, rebuttal.id, ReviewDecision.APPROVE, "")
    return await rebuttal_flow.publish_rebuttal(editor, rebuttal.id, settings)


async def _drive(
    desks: _Desks, seed: ClaimSeed, claims: dict[str, Claim], settings: Settings
) -> None:
    now = datetime.now(UTC)
    reporter = await desks.get(Role.REPORTER)
    coordinator = await desks.get(Role.COORDINATOR, "moi")
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
    claim = await claim_flow.report_claim(reporter, report)
    claims[seed["key"]] = claim
    state = seed["target_state"]
    if state == "REPORTED":
        return
    if state == "DISMISSED":
        await claim_flow.dismiss_claim(
            coordinator,
            claim.id,
            reason=DismissalReason(seed["dismissal_reason"]),
            note=Localized(km=seed["dismissal_note_km"], en=seed["dismissal_note_en"]),
        )
        return
    if state == "MERGED":
        await claim_flow.merge_claim(coordinator, claim.id, claims[seed["merge_into"]].id)
        return
    lead = seed["lead"]
    await claim_flow.triage_claim(
        coordinator,
        claim.id,
        lead=lead,
        supporting=seed["supporting"],
        priority=Priority(seed["priority"]),
        due_at=None,
        settings=settings,
    )
    if state == "TRIAGED":
        return
    editor = await desks.get(Role.EDITOR, lead)
    rebuttal = await rebuttal_flow.draft_rebuttal(editor, claim.id, _content(seed["rebuttal"]))
    if state == "IN_PROGRESS":
        return
    rebuttal = await _publish_round(desks, lead, rebuttal, settings)
    if state == "CORRECTED":
        await rebuttal_flow.revise_rebuttal(editor, rebuttal.id)
        await rebuttal_flow.update_rebuttal(editor, rebuttal.id, _content(seed["correction"]))
        await _publish_round(desks, lead, rebuttal, settings)
    elif state == "RETRACTED":
        approver = await desks.get(Role.APPROVER, lead)
        reason = seed["retraction_reason"]
        await rebuttal_flow.retract_rebuttal(approver, rebuttal.id, reason, settings)


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
    desks = _Desks(institutions)
    tokens = []
    for account_seed in DEMO_ACCOUNTS:
        issued = await create_token(
            account_seed["name"], Role(account_seed["role"]), account_seed["institution"]
        )
        desks.add(issued.account, account_seed["institution"])
        tokens.append(
            DemoToken(
                name=account_seed["name"],
                role=Role(account_seed["role"]),
                institution=account_seed["institution"],
                secret=issued.secret,
            )
        )
    claims: dict[str, Claim] = {}
    ordered = sorted(CLAIMS, key=lambda seed: seed["target_state"] == "MERGED")
    for seed in ordered:
        await _drive(desks, seed, claims, settings)
    return tokens
