"""Plans: a validated query document turned into value builders, once per operation.

``compile_selection`` walks the operation's selections with graphql-core's own field
collection (fragments, inline fragments, ``@skip``/``@include``, aliases, merged fields), so a
plan has exactly the response keys, in the order, that field-by-field execution would give.
Each selected field becomes a builder: a function of the request's fetched rows (``Rows``) and
one row, returning the field's value as graphql-core would complete it, leaves serialized by
the schema's own scalar and enum serializers. A field the compiled path does not know makes the
whole document fall back (``Unsupported``).

The rows are dicts of columns (``Tortoise .values()``), fetched by ``coordhub.schema.compiled
.reads`` in one statement per relation; ``Needs`` tells it which relations the plan reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
)
from strawberry.relay import to_base64

from coordhub.models import ClaimStatus, RebuttalStatus
from coordhub.schema.cacheability import valid_until
from coordhub.schema.pagination import encode_cursor
from coordhub.workflow.visibility import can_read_working_copy, status_as_seen_by

if TYPE_CHECKING:
    from graphql.execution.collect_fields import FieldDetails

    from coordhub.schema.compiled.reads import Rows

Row = dict[str, Any]
#: The value of one field of one row, given the request's fetched rows.
Builder = Callable[["Rows", Row], Any]
#: Collects the sub-selections of a field: graphql-core's ``Executor.collect_subfields``.
Collect = Callable[[GraphQLObjectType, list["FieldDetails"]], Any]

OVERDUE_STATUSES = (ClaimStatus.TRIAGED, ClaimStatus.IN_PROGRESS)
FINAL = (RebuttalStatus.PUBLISHED, RebuttalStatus.RETRACTED)


class Unsupported(Exception):
    """The document asks for something only field-by-field execution answers."""


@dataclass
class Needs:
    """The relations a plan reads, so that each is fetched once, in one statement."""

    claim_institutions: bool = False
    claim_rebuttals: bool = False
    appearances: bool = False
    supporting: bool = False
    rebuttal_institutions: bool = False
    revisions: bool = False
    evidence: bool = False


@dataclass
class Root:
    """A root field: ``claims`` or ``rebuttals`` and the builder of their page, or ``node``
    and the builder of each type of node it may return (None: left to strawberry)."""

    key: str
    name: str
    field_def: GraphQLField
    details: list[FieldDetails]
    page: Callable[[Rows, list[Row], bool], dict[str, Any]] | None = None
    nodes: dict[str, Builder | None] = field(default_factory=dict)


@dataclass
class Plan:
    roots: list[Root] = field(default_factory=list)
    needs: Needs = field(default_factory=Needs)


@dataclass
class Selected:
    """One response key of an object: its field and sub-selection."""

    key: str
    name: str
    type: GraphQLOutputType
    details: list[FieldDetails]

    @property
    def named(self) -> Any:
        kind = self.type
        while isinstance(kind, GraphQLNonNull | GraphQLList):
            kind = kind.of_type
        return kind


def _selected(parent: GraphQLObjectType, grouped: Any) -> list[Selected]:
    found = []
    for key, details in grouped.items():
        name = details[0].node.name.value
        if name == "__typename":
            found.append(Selected(key, name, parent, details))
            continue
        definition = parent.fields.get(name)
        if definition is None:
            raise Unsupported(name)
        found.append(Selected(key, name, definition.type, details))
    return found


class Compiler:
    """Builds the value builders of one operation's selections."""

    def __init__(self, collect: Collect, types: Callable[[str], Any]) -> None:
        self.collect = collect
        self.types = types
        self.needs = Needs()

    def fields(self, selected: Selected) -> list[Selected]:
        named = selected.named
        grouped = self.collect(named, selected.details).grouped_field_set
        return _selected(named, grouped)

    def object(
        self, selected: Selected, builders: dict[str, Callable[[Selected], Builder]]
    ) -> Builder:
        """A builder of an object of the type ``selected`` names, from its field builders."""
        type_name = selected.named.name
        parts: list[tuple[str, Builder]] = []
        for sub in self.fields(selected):
            if sub.name == "__typename":
                parts.append((sub.key, _constant(type_name)))
                continue
            make = builders.get(sub.name)
            if make is None:
                raise Unsupported(f"{type_name}.{sub.name}")
            parts.append((sub.key, make(sub)))
        if len(parts) == 1:
            [(only_key, only)] = parts
            return lambda rows, row: {only_key: only(rows, row)}
        return lambda rows, row: {key: build(rows, row) for key, build in parts}

    # --- leaves and shared shapes ---------------------------------------------------------

    @staticmethod
    def column(name: str) -> Callable[[Selected], Builder]:
        def make(selected: Selected) -> Builder:
            named = selected.named
            if not is_leaf_type(named):
                raise Unsupported(selected.name)
            serialize = named.serialize

            def build(rows: Rows, row: Row) -> Any:
                value = row[name]
                return None if value is None else serialize(value)

            return build

        return make

    def localized(self, km: str, en: str) -> Callable[[Selected], Builder]:
        """A ``LocalizedText`` of two columns (null if both are null)."""

        def make(selected: Selected) -> Builder:
            columns = {"km": km, "en": en}
            parts: list[tuple[str, Any]] = []
            for sub in self.fields(selected):
                if sub.name == "__typename":
                    parts.append((sub.key, None))
                elif sub.name in columns:
                    parts.append((sub.key, columns[sub.name]))
                else:
                    raise Unsupported(f"LocalizedText.{sub.name}")

            def build(rows: Rows, row: Row) -> Any:
                if row[km] is None and row[en] is None:
                    return None
                return {
                    key: "LocalizedText" if column is None else row[column] for key, column in parts
                }

            return build

        return make

    def node_id(self, type_name: str) -> Callable[[Selected], Builder]:
        return lambda selected: lambda rows, row: to_base64(type_name, row["id"])

    # --- claims -----------------------------------------------------------------------------

    def claim(self, selected: Selected) -> Builder:
        column = self.column
        return self.object(
            selected,
            {
                "id": self.node_id("Claim"),
                "summary": self.localized("summary_km", "summary_en"),
                "topic": column("topic"),
                "status": column("status"),
                "priority": column("priority"),
                "firstSeenAt": column("first_seen_at"),
                "reportedAt": column("created_at"),
                "triagedAt": column("triaged_at"),
                "dueAt": column("due_at"),
                "rebuttedAt": column("rebutted_at"),
                "overdue": lambda sub: lambda rows, row: row["overdue"],
                "dismissal": self.dismissal,
                "leadInstitution": self.lead_institution,
                "supportingInstitutions": self.supporting_institutions,
                "appearances": self.appearances,
                "rebuttals": self.claim_rebuttals,
            },
        )

    def appearances(self, selected: Selected) -> Builder:
        self.needs.appearances = True
        build = self.object(
            selected,
            {
                "url": self.column("url"),
                "outlet": self.column("outlet"),
                "seenAt": self.column("seen_at"),
            },
        )
        return lambda rows, row: [build(rows, seen) for seen in rows.appearances.get(row["id"], ())]

    def supporting_institutions(self, selected: Selected) -> Builder:
        self.needs.supporting = True
        build = self.institution(selected)

        def supporting(rows: Rows, row: Row) -> Any:
            found = (rows.institutions.get(i) for i in rows.supporting.get(row["id"], ()))
            return [build(rows, institution) for institution in found if institution is not None]

        return supporting

    def dismissal(self, selected: Selected) -> Builder:
        build = self.object(
            selected,
            {
                "reason": self.column("dismissal_reason"),
                "note": self.localized("dismissal_note_km", "dismissal_note_en"),
                "dismissedAt": self.column("dismissed_at"),
            },
        )

        def note_text(row: Row) -> Row:
            # A dismissal's note is never null: missing halves are empty, as in Claim.from_row.
            return {
                **row,
                "dismissal_note_km": row["dismissal_note_km"] or "",
                "dismissal_note_en": row["dismissal_note_en"] or "",
            }

        def dismissal(rows: Rows, row: Row) -> Any:
            if row["dismissal_reason"] is None or row["dismissed_at"] is None:
                return None
            return build(rows, note_text(row))

        return dismissal

    def lead_institution(self, selected: Selected) -> Builder:
        self.needs.claim_institutions = True
        build = self.institution(selected)

        def lead(rows: Rows, row: Row) -> Any:
            found = rows.institutions.get(row["lead_institution_id"])
            return None if found is None else build(rows, found)

        return lead

    def claim_rebuttals(self, selected: Selected) -> Builder:
        self.needs.claim_rebuttals = True
        build = self.rebuttal(selected)
        return lambda rows, row: [
            build(rows, rebuttal) for rebuttal in rows.rebuttals_of_claim.get(row["id"], ())
        ]

    # --- institutions ---------------------------------------------------------------------

    def institution(self, selected: Selected) -> Builder:
        return self.object(
            selected,
            {
                "id": self.node_id("Institution"),
                "slug": self.column("slug"),
                "name": self.localized("name_km", "name_en"),
                "kind": self.column("kind"),
            },
        )

    # --- rebuttals ------------------------------------------------------------------------

    def rebuttal(self, selected: Selected) -> Builder:
        def status(sub: Selected) -> Builder:
            serialize = sub.named.serialize
            return lambda rows, row: serialize(status_as_seen_by(rows.actor, _Rebuttal(row)))

        def draft_readable(rows: Rows, row: Row) -> bool:
            return row["status"] not in FINAL and can_read_working_copy(
                rows.actor, row["institution_id"]
            )

        def verdict(sub: Selected) -> Builder:
            serialize = sub.named.serialize

            def build(rows: Rows, row: Row) -> Any:
                if row["live_verdict"] is not None:
                    return serialize(row["live_verdict"])
                return serialize(row["verdict"]) if draft_readable(rows, row) else None

            return build

        def current_text(km: str, en: str) -> Callable[[Selected], Builder]:
            """The live revision's text, or the draft's for those who may read it."""

            def make(sub: Selected) -> Builder:
                self.needs.revisions = True
                build = self.localized(km, en)(sub)

                def text(rows: Rows, row: Row) -> Any:
                    if row["live_revision"] is not None:
                        live = rows.live_revisions.get(row["id"])
                        if live is not None:
                            return build(rows, live)
                    return build(rows, row) if draft_readable(rows, row) else None

                return text

            return make

        def institution(sub: Selected) -> Builder:
            self.needs.rebuttal_institutions = True
            build = self.institution(sub)

            def answering(rows: Rows, row: Row) -> Any:
                found = rows.institutions.get(row["institution_id"])
                return None if found is None else build(rows, found)

            return answering

        def retraction(sub: Selected) -> Builder:
            build = self.object(
                sub,
                {
                    "reason": self.localized("retraction_reason_km", "retraction_reason_en"),
                    "retractedAt": self.column("retracted_at"),
                },
            )

            def reason_text(row: Row) -> Row:
                # A retraction's reason is never null: missing halves are empty, as in
                # Rebuttal.from_row.
                return {
                    **row,
                    "retraction_reason_km": row["retraction_reason_km"] or "",
                    "retraction_reason_en": row["retraction_reason_en"] or "",
                }

            return lambda rows, row: (
                None if row["retracted_at"] is None else build(rows, reason_text(row))
            )

        return self.object(
            selected,
            {
                "id": self.node_id("Rebuttal"),
                "revision": self.column("live_revision"),
                "publishedAt": self.column("published_at"),
                "retraction": retraction,
                "status": status,
                "verdict": verdict,
                "headline": current_text("headline_km", "headline_en"),
                "body": current_text("body_km", "body_en"),
                "institution": institution,
                "revisions": self.revisions,
                "liveRevision": self.live_revision,
                "evidence": lambda sub: self.current_evidence(sub, draft_readable),
            },
        )

    def revision(self, selected: Selected) -> Builder:
        self.needs.revisions = True
        return self.object(
            selected,
            {
                "number": self.column("number"),
                "verdict": self.column("verdict"),
                "headline": self.localized("headline_km", "headline_en"),
                "body": self.localized("body_km", "body_en"),
                "channels": lambda sub: lambda rows, row: list(row["channels"]),
                "publishedAt": self.column("published_at"),
                "evidence": self.revision_evidence,
            },
        )

    def revisions(self, selected: Selected) -> Builder:
        build = self.revision(selected)
        return lambda rows, row: [build(rows, r) for r in rows.revisions.get(row["id"], ())]

    def live_revision(self, selected: Selected) -> Builder:
        build = self.revision(selected)

        def live(rows: Rows, row: Row) -> Any:
            found = rows.live_revisions.get(row["id"]) if row["live_revision"] else None
            return None if found is None else build(rows, found)

        return live

    def evidence_item(self, selected: Selected) -> Builder:
        return self.object(
            selected,
            {
                "url": self.column("url"),
                "title": self.localized("title_km", "title_en"),
                "note": self.localized("note_km", "note_en"),
            },
        )

    def revision_evidence(self, selected: Selected) -> Builder:
        self.needs.evidence = True
        build = self.evidence_item(selected)
        return lambda rows, row: [build(rows, e) for e in rows.evidence.get(row["id"], ())]

    def current_evidence(
        self, selected: Selected, draft_readable: Callable[[Rows, Row], bool]
    ) -> Builder:
        """The live revision's evidence, or the draft's for those who may read it."""
        self.needs.revisions = self.needs.evidence = True
        build = self.evidence_item(selected)

        def evidence(rows: Rows, row: Row) -> Any:
            if row["live_revision"] is not None:
                live = rows.live_revisions.get(row["id"])
                if live is not None:
                    return [build(rows, e) for e in rows.evidence.get(live["id"], ())]
            if not draft_readable(rows, row):
                return []
            return [build(rows, {"note_km": "", "note_en": "", **item}) for item in row["evidence"]]

        return evidence

    # --- connections ----------------------------------------------------------------------

    def connection(
        self, selected: Selected, kind: str, node: Callable[[Selected], Builder]
    ) -> Callable[[Rows, list[Row], bool], dict[str, Any]]:
        """The builder of a page of ``kind`` from its rows and whether more follow."""
        parts: list[tuple[str, str, Any]] = []
        for sub in self.fields(selected):
            if sub.name == "__typename":
                parts.append((sub.key, "typename", selected.named.name))
            elif sub.name == "edges":
                parts.append((sub.key, "edges", self.edge(sub, kind, node)))
            elif sub.name == "pageInfo":
                parts.append((sub.key, "pageInfo", self.page_info(sub, kind)))
            else:
                raise Unsupported(f"Connection.{sub.name}")

        def page(rows: Rows, found: list[Row], more: bool) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for key, part, build in parts:
                if part == "typename":
                    out[key] = build
                elif part == "edges":
                    out[key] = [build(rows, row) for row in found]
                else:
                    out[key] = build(found, more)
            return out

        return page

    def edge(self, selected: Selected, kind: str, node: Callable[[Selected], Builder]) -> Builder:
        return self.object(
            selected,
            {
                "cursor": lambda sub: lambda rows, row: encode_cursor(kind, row["id"]),
                "node": node,
            },
        )

    def page_info(self, selected: Selected, kind: str) -> Callable[[list[Row], bool], Any]:
        parts: list[tuple[str, str]] = []
        for sub in self.fields(selected):
            if sub.name not in ("__typename", "hasNextPage", "endCursor"):
                raise Unsupported(f"PageInfo.{sub.name}")
            parts.append((sub.key, sub.name))

        def info(found: list[Row], more: bool) -> dict[str, Any]:
            end = encode_cursor(kind, found[-1]["id"]) if found else None
            values = {"__typename": "PageInfo", "hasNextPage": more, "endCursor": end}
            return {key: values[name] for key, name in parts}

        return info


class _Rebuttal:
    """A rebuttal row as ``workflow.visibility`` reads one (attributes, not keys)."""

    __slots__ = ("institution_id", "live_revision", "status")

    def __init__(self, row: Row) -> None:
        self.status = row["status"]
        self.live_revision = row["live_revision"]
        self.institution_id = row["institution_id"]


def _constant(value: str) -> Builder:
    return lambda rows, row: value


def claim_overdue(row: Row, now: datetime | None = None) -> bool:
    """``Claim.overdue`` of a claim row; an answer that turns true with time alone is marked
    valid only until then (``cacheability.valid_until``), as ``Claim.from_row`` does."""
    due = row["due_at"]
    if due is None or row["status"] not in OVERDUE_STATUSES:
        return False
    if due < (now or datetime.now(UTC)):
        return True
    valid_until(due)
    return False


def compile_selection(
    collect: Collect, types: Callable[[str], Any], query_type: GraphQLObjectType, grouped: Any
) -> Plan:
    """The plan of a query's root selections; ``Unsupported`` if any is not compiled. Plans
    hold no caller: who reads (``Rows.actor``) is given when one runs. ``types`` finds a
    schema type by name (the types ``node`` may return)."""
    compiler = Compiler(collect, types)
    plan = Plan(needs=compiler.needs)
    for selected in _selected(query_type, grouped):
        root = Root(
            selected.key, selected.name, query_type.fields.get(selected.name), selected.details
        )  # type: ignore[arg-type]
        if selected.name == "claims":
            root.page = compiler.connection(selected, "claim", compiler.claim)
        elif selected.name == "rebuttals":
            root.page = compiler.connection(selected, "rebuttal", compiler.rebuttal)
        elif selected.name == "node":
            for type_name, make in (("Claim", compiler.claim), ("Rebuttal", compiler.rebuttal)):
                runtime = Selected(selected.key, selected.name, types(type_name), selected.details)
                try:
                    root.nodes[type_name] = make(runtime)
                except Unsupported:
                    root.nodes[type_name] = None
            if not any(root.nodes.values()):
                raise Unsupported("node")
        else:
            raise Unsupported(selected.name)
        plan.roots.append(root)
    return plan
