"""Drive claims and rebuttals to any state, through the workflow rules.

The one way the demo data, the benchmarks and the tests put claims and rebuttals into a given
state. Every move is a call into ``coordhub.workflow`` by an actor who may make it, so each one
is checked and writes its events (and, when publishing or retracting, its deliveries) exactly
as the same move over GraphQL would::

    desks = Desks(reporter, coordinator, [health_editor, health_approver])
    scenario = Scenario(desks, settings)
    claim = await scenario.claim("DISMISSED")
    rebuttal = await scenario.rebuttal("CORRECTED", story=numbered(7, channels=["akp"]))

What the claim says, who leads it and what the rebuttal and its correction say is a ``Story``
(``Story()`` is a sample); who makes each move are the ``Desks``. ``Scenario.claim`` and
``Scenario.rebuttal`` take the shortest path to a state; the single moves (``report``,
``triage``, ``draft``, ``submit``, ``approve``, ...) are there to compose any other path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from coordhub.actor import Actor
from coordhub.auth import create_token
from coordhub.models import (
    Claim,
    DismissalReason,
    Institution,
    Priority,
    Rebuttal,
    ReviewDecision,
    Role,
    Verdict,
)
from coordhub.settings import Settings
from coordhub.workflow import claims as claim_rules
from coordhub.workflow import rebuttals as rebuttal_rules
from coordhub.workflow.inputs import (
    AppearanceInput,
    ClaimReport,
    EvidenceInput,
    Localized,
    RebuttalContent,
)

#: States ``Scenario.claim`` drives a new claim to. IN_PROGRESS has a draft rebuttal, REBUTTED
#: a published one (the lead institution's).
ClaimState = Literal["REPORTED", "TRIAGED", "IN_PROGRESS", "REBUTTED", "DISMISSED", "MERGED"]

#: States ``Scenario.rebuttal`` drives the lead institution's rebuttal of a triaged claim to, in
#: the order of its path. The CORRECTION_ states have revision 1 live and a correction in the
#: working copy; CORRECTED has the correction live as revision 2. CHANGES_REQUESTED branches off
#: after IN_REVIEW, RETRACTED after PUBLISHED.
RebuttalState = Literal[
    "DRAFT",
    "IN_REVIEW",
    "CHANGES_REQUESTED",
    "APPROVED",
    "PUBLISHED",
    "CORRECTION_DRAFT",
    "CORRECTION_IN_REVIEW",
    "CORRECTION_APPROVED",
    "CORRECTED",
    "RETRACTED",
]

CLAIM_STATES: tuple[ClaimState, ...] = get_args(ClaimState)
REBUTTAL_STATES: tuple[RebuttalState, ...] = get_args(RebuttalState)

#: Where each rebuttal state sits on the main path (the branches sit with the state they leave).
_STEP: dict[RebuttalState, int] = {
    "DRAFT": 0,
    "IN_REVIEW": 1,
    "CHANGES_REQUESTED": 1,
    "APPROVED": 2,
    "PUBLISHED": 3,
    "RETRACTED": 3,
    "CORRECTION_DRAFT": 4,
    "CORRECTION_IN_REVIEW": 5,
    "CORRECTION_APPROVED": 6,
    "CORRECTED": 7,
}


def _sample_report() -> ClaimReport:
    return ClaimReport(
        summary=Localized(
            km="ពាក្យចចាមអារ៉ាមថាវ៉ាក់សាំងបង្កឱ្យមានភាពគ្មានកូន",
            en="Rumour that a vaccine causes infertility",
        ),
        topic="health",
        appearances=[
            AppearanceInput(
                url="https://social.example/p/1",
                outlet="Facebook",
                seen_at=datetime.fromisoformat("2026-11-20T08:00:00+07:00"),
            )
        ],
    )


def _sample_rebuttal() -> RebuttalContent:
    return RebuttalContent(
        verdict=Verdict.FALSE,
        headline=Localized(km="វ៉ាក់សាំងមានសុវត្ថិភាព", en="The vaccine is safe"),
        body=Localized(km="ក្រសួងសុខាភិបាលបញ្ជាក់ថា...", en="The Ministry of Health confirms..."),
        evidence=[
            EvidenceInput(
                url="https://who.example/hpv",
                title=Localized(km="អង្គការសុខភាពពិភពលោកអំពីវ៉ាក់សាំង HPV", en="WHO on HPV vaccines"),
                note=Localized(km="សុវត្ថិភាព", en="Safety"),
            )
        ],
        channels=["akp", "tvk"],
    )


def _sample_correction() -> RebuttalContent:
    headline = "The vaccine is safe and does not cause infertility"
    return RebuttalContent(headline=Localized(km=headline, en=headline))


def _sample_dismissal_note() -> Localized:
    return Localized(km="ព័ត៌មាននេះត្រឹមត្រូវ", en="The report is accurate.")


def _sample_retraction_reason() -> Localized:
    return Localized(km="ប្រភពត្រូវបានដកវិញ។", en="The source was withdrawn.")


@dataclass(frozen=True, slots=True)
class Story:
    """What happens to one claim: what is reported, how it is triaged, what the rebuttal and its
    correction say, and the reasons for a dismissal, a change request or a retraction.

    Each field has a sample value: ``Story()`` is a vaccine rumour led by the Ministry of Health
    (slug ``health``) with the Ministry of Education (``education``) supporting. Change fields
    with ``dataclasses.replace`` or by naming them.
    """

    report: ClaimReport = field(default_factory=_sample_report)
    lead: str = "health"
    supporting: tuple[str, ...] = ("education",)
    priority: Priority = Priority.HIGH
    #: None: from the priority's SLA.
    due_at: datetime | None = None
    rebuttal: RebuttalContent = field(default_factory=_sample_rebuttal)
    #: What the correction changes in the working copy (None fields stay as they are).
    correction: RebuttalContent = field(default_factory=_sample_correction)
    dismissal_reason: DismissalReason = DismissalReason.ACCURATE
    dismissal_note: Localized = field(default_factory=_sample_dismissal_note)
    changes_comment: str = "Cite the source."
    retraction_reason: Localized = field(default_factory=_sample_retraction_reason)


def numbered(n: int, channels: Sequence[str] = ()) -> Story:
    """Rumour number ``n``: a story of its own for each of many claims (benchmarks, load),
    reported without appearances, led by ``health`` alone and answered to ``channels``."""
    return Story(
        report=ClaimReport(
            summary=Localized(km=f"ពាក្យចចាមអារ៉ាមលេខ {n}", en=f"Rumour number {n}"),
            topic="health",
        ),
        supporting=(),
        rebuttal=RebuttalContent(
            verdict=Verdict.FALSE,
            headline=Localized(km=f"មិនពិតទេ {n}", en=f"Not true {n}"),
            body=Localized(km="ក្រសួងបញ្ជាក់ថា…", en="The ministry confirms…"),
            evidence=[
                EvidenceInput(url="https://who.example/x", title=Localized(km="ប្រភព", en="Source"))
            ],
            channels=list(channels),
        ),
        correction=RebuttalContent(
            headline=Localized(km=f"មិនពិតទេ {n} (កែតម្រូវ)", en=f"Not true {n} (corrected)")
        ),
    )


async def sign_up(name: str, role: Role, institution: str | None = None) -> tuple[Actor, str]:
    """A new account with one token (``coordhub.auth.create_token``): the actor it stands for
    and the token's secret, which exists only here."""
    issued = await create_token(name, role, institution)
    actor = Actor(
        account_id=issued.account.id,
        name=issued.account.name,
        role=role,
        institution_id=issued.account.institution_id,
        institution_slug=institution if issued.account.institution_id is not None else None,
        token_id=issued.token.id,
    )
    return actor, issued.secret


class Desks:
    """Who makes each move: a reporter, the coordinator, and per institution (by slug) an editor
    and an approver.

    Editors and approvers are seated from ``staff``; the first of each role and institution is
    the one asked. An institution without one is handed to ``hire``, which here refuses: a
    subclass may create the account instead (the demo does).
    """

    def __init__(self, reporter: Actor, coordinator: Actor, staff: Iterable[Actor] = ()) -> None:
        self.reporter = reporter
        self.coordinator = coordinator
        self._seated: dict[tuple[Role, str], Actor] = {}
        for actor in staff:
            self.seat(actor)

    def seat(self, actor: Actor) -> None:
        """Seat an editor or approver at its institution's desk, unless one sits there already.
        Other roles are ignored."""
        if actor.role in (Role.EDITOR, Role.APPROVER) and actor.institution_slug is not None:
            self._seated.setdefault((actor.role, actor.institution_slug), actor)

    async def editor(self, institution: str) -> Actor:
        """The editor who drafts, submits and publishes for ``institution``."""
        return await self._desk(Role.EDITOR, institution)

    async def approver(self, institution: str) -> Actor:
        """The approver who reviews and retracts for ``institution``."""
        return await self._desk(Role.APPROVER, institution)

    async def hire(self, role: Role, institution: str) -> Actor:
        """An actor for an empty desk. Refuses (``LookupError``); override to create one."""
        raise LookupError(f"No {role.value} desk for institution '{institution}'.")

    async def _desk(self, role: Role, institution: str) -> Actor:
        actor = self._seated.get((role, institution))
        if actor is None:
            actor = await self.hire(role, institution)
            self._seated[(role, institution)] = actor
        return actor


class Scenario:
    """Drives new claims and rebuttals to a state, each move made by the desk that may make it.

    ``story`` is the default for every call that takes one. Rows returned are as the last move
    left them. The moves take a row or its id, and an optional ``by`` (the actor making the
    move) in place of the desk's.
    """

    def __init__(self, desks: Desks, settings: Settings, story: Story | None = None) -> None:
        self.desks = desks
        self.settings = settings
        self.story = story or Story()
        self._slugs: dict[int, str] = {}

    # -- to a state ---------------------------------------------------------------------------

    async def claim(
        self,
        state: ClaimState = "REPORTED",
        *,
        story: Story | None = None,
        reporter: Actor | None = None,
        into: Claim | int | None = None,
    ) -> Claim:
        """A new claim in ``state``, by the shortest path: DISMISSED and MERGED straight from
        REPORTED (merged ``into`` that claim, by default a new REPORTED one of the same story),
        IN_PROGRESS and REBUTTED through the lead's rebuttal (``rebuttal``)."""
        if state not in CLAIM_STATES:
            raise ValueError(f"No claim state {state!r}: one of {', '.join(CLAIM_STATES)}.")
        story = story or self.story
        if state in ("IN_PROGRESS", "REBUTTED"):
            triaged = await self.claim("TRIAGED", story=story, reporter=reporter)
            answer: RebuttalState = "DRAFT" if state == "IN_PROGRESS" else "PUBLISHED"
            await self.rebuttal(answer, story=story, claim=triaged)
            return await Claim.get(id=triaged.id)
        claim = await self.report(story.report, by=reporter)
        if state == "TRIAGED":
            return await self.triage(claim, story)
        if state == "DISMISSED":
            return await self.dismiss(claim, story)
        if state == "MERGED":
            target = into if into is not None else await self.report(story.report, by=reporter)
            return await self.merge(claim, target)
        return claim

    async def rebuttal(
        self,
        state: RebuttalState = "DRAFT",
        *,
        story: Story | None = None,
        claim: Claim | int | None = None,
        author: Actor | None = None,
        approver: Actor | None = None,
    ) -> Rebuttal:
        """A new rebuttal in ``state``: of ``claim`` (which must be open to answers), or of a
        new claim of the story triaged for it. ``author`` drafts, edits, submits, publishes and
        corrects (the institution's editor by default); ``approver`` approves, requests changes
        and retracts (the institution's approver by default). The draft is for the author's
        institution: the claim's lead unless the author acts for a supporting one."""
        if state not in REBUTTAL_STATES:
            raise ValueError(f"No rebuttal state {state!r}: one of {', '.join(REBUTTAL_STATES)}.")
        story = story or self.story
        if claim is None:
            claim = await self.claim("TRIAGED", story=story)
        rebuttal = await self.draft(claim, story.rebuttal, by=author)
        target = _STEP[state]
        if target >= 1:
            rebuttal = await self.submit(rebuttal, by=author)
        if state == "CHANGES_REQUESTED":
            return await self.request_changes(rebuttal, story.changes_comment, by=approver)
        if target >= 2:
            rebuttal = await self.approve(rebuttal, by=approver)
        if target >= 3:
            rebuttal = await self.publish(rebuttal, by=author)
        if state == "RETRACTED":
            return await self.retract(rebuttal, story.retraction_reason, by=approver)
        if target >= 4:
            await self.revise(rebuttal, by=author)
            rebuttal = await self.update(rebuttal, story.correction, by=author)
        if target >= 5:
            rebuttal = await self.submit(rebuttal, by=author)
        if target >= 6:
            rebuttal = await self.approve(rebuttal, by=approver)
        if target >= 7:
            rebuttal = await self.publish(rebuttal, by=author)
        return rebuttal

    # -- claim moves --------------------------------------------------------------------------

    async def report(self, report: ClaimReport | None = None, *, by: Actor | None = None) -> Claim:
        """Report a claim (the story's report by default), as the reporter: REPORTED."""
        report = report or self.story.report
        return await claim_rules.report_claim(by or self.desks.reporter, report)

    async def triage(
        self, claim: Claim | int, story: Story | None = None, *, by: Actor | None = None
    ) -> Claim:
        """Triage to the story's lead and supporting institutions, priority and due-by, as the
        coordinator: TRIAGED (a claim already in progress keeps its state)."""
        story = story or self.story
        return await claim_rules.triage_claim(
            by or self.desks.coordinator,
            _pk(claim),
            lead=story.lead,
            supporting=list(story.supporting),
            priority=story.priority,
            due_at=story.due_at,
            settings=self.settings,
        )

    async def dismiss(
        self, claim: Claim | int, story: Story | None = None, *, by: Actor | None = None
    ) -> Claim:
        """Dismiss with the story's public reason and note, as the coordinator: DISMISSED."""
        story = story or self.story
        return await claim_rules.dismiss_claim(
            by or self.desks.coordinator,
            _pk(claim),
            reason=story.dismissal_reason,
            note=story.dismissal_note,
        )

    async def merge(
        self, claim: Claim | int, into: Claim | int, *, by: Actor | None = None
    ) -> Claim:
        """Merge ``claim`` into ``into`` as a duplicate, as the coordinator: MERGED."""
        return await claim_rules.merge_claim(by or self.desks.coordinator, _pk(claim), _pk(into))

    # -- rebuttal moves -----------------------------------------------------------------------

    async def draft(
        self,
        claim: Claim | int,
        content: RebuttalContent | None = None,
        *,
        by: Actor | None = None,
    ) -> Rebuttal:
        """Draft a rebuttal of a triaged claim (the story's content by default), by default as
        the editor of the claim's lead institution: DRAFT."""
        if by is None:
            row = claim if isinstance(claim, Claim) else await Claim.get(id=claim)
            if row.lead_institution_id is None:
                raise ValueError("The claim has no lead institution yet: triage it first.")
            by = await self.desks.editor(await self._slug(row.lead_institution_id))
        return await rebuttal_rules.draft_rebuttal(by, _pk(claim), content or self.story.rebuttal)

    async def update(
        self,
        rebuttal: Rebuttal | int,
        content: RebuttalContent | None = None,
        *,
        by: Actor | None = None,
    ) -> Rebuttal:
        """Edit the working copy (with the story's correction by default), by default as the
        institution's editor: DRAFT."""
        by = by or await self._editor(rebuttal)
        content = content or self.story.correction
        return await rebuttal_rules.update_rebuttal(by, _pk(rebuttal), content)

    async def submit(self, rebuttal: Rebuttal | int, *, by: Actor | None = None) -> Rebuttal:
        """Submit for review, by default as the institution's editor: IN_REVIEW."""
        by = by or await self._editor(rebuttal)
        return await rebuttal_rules.submit_rebuttal(by, _pk(rebuttal))

    async def approve(self, rebuttal: Rebuttal | int, *, by: Actor | None = None) -> Rebuttal:
        """Approve, by default as the institution's approver: APPROVED."""
        by = by or await self._approver(rebuttal)
        return await rebuttal_rules.review_rebuttal(by, _pk(rebuttal), ReviewDecision.APPROVE, "")

    async def request_changes(
        self, rebuttal: Rebuttal | int, comment: str | None = None, *, by: Actor | None = None
    ) -> Rebuttal:
        """Send back with a comment (the story's by default), by default as the institution's
        approver: CHANGES_REQUESTED."""
        by = by or await self._approver(rebuttal)
        return await rebuttal_rules.review_rebuttal(
            by,
            _pk(rebuttal),
            ReviewDecision.REQUEST_CHANGES,
            comment or self.story.changes_comment,
        )

    async def publish(self, rebuttal: Rebuttal | int, *, by: Actor | None = None) -> Rebuttal:
        """Publish the approved working copy as the next revision, by default as the
        institution's editor: PUBLISHED, its deliveries queued."""
        by = by or await self._editor(rebuttal)
        return await rebuttal_rules.publish_rebuttal(by, _pk(rebuttal), self.settings)

    async def revise(self, rebuttal: Rebuttal | int, *, by: Actor | None = None) -> Rebuttal:
        """Open a correction of a published rebuttal, by default as the institution's editor:
        DRAFT, the published revision still live."""
        by = by or await self._editor(rebuttal)
        return await rebuttal_rules.revise_rebuttal(by, _pk(rebuttal))

    async def retract(
        self,
        rebuttal: Rebuttal | int,
        reason: Localized | None = None,
        *,
        by: Actor | None = None,
    ) -> Rebuttal:
        """Retract a published rebuttal with a public reason (the story's by default), by
        default as the institution's approver: RETRACTED."""
        by = by or await self._approver(rebuttal)
        return await rebuttal_rules.retract_rebuttal(
            by, _pk(rebuttal), reason or self.story.retraction_reason, self.settings
        )

    # -- who ----------------------------------------------------------------------------------

    async def _editor(self, rebuttal: Rebuttal | int) -> Actor:
        return await self.desks.editor(await self._institution(rebuttal))

    async def _approver(self, rebuttal: Rebuttal | int) -> Actor:
        return await self.desks.approver(await self._institution(rebuttal))

    async def _institution(self, rebuttal: Rebuttal | int) -> str:
        """The slug of the institution whose rebuttal it is."""
        row = rebuttal if isinstance(rebuttal, Rebuttal) else await Rebuttal.get(id=rebuttal)
        return await self._slug(row.institution_id)

    async def _slug(self, institution_id: int) -> str:
        if institution_id not in self._slugs:
            self._slugs[institution_id] = (await Institution.get(id=institution_id)).slug
        return self._slugs[institution_id]


def _pk(row: Claim | Rebuttal | int) -> int:
    return row if isinstance(row, int) else row.id
