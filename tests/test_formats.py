"""The shared output formats: IPTC ninjs 2.1 / 3.1, NewsML-G2 and schema.org ClaimReview.

ninjs output is validated against the IPTC JSON schemas kept in ``../shared/standards`` beside
the repository (never copied into it): without that folder the schema checks are skipped, except
under ``CI=true`` where they must run.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.protocols import Validator
from lxml import etree

from coordhub.connectors import Action, AppearanceItem, EvidenceItem, RebuttalItem, Text
from coordhub.connectors.formats import (
    VERDICT_RATINGS,
    render_claimreview,
    render_newsml_g2,
    render_ninjs,
)
from coordhub.connectors.formats._common import clean_text
from coordhub.connectors.formats.ninjs import NinjsVersion
from coordhub.connectors.testing import sample_item
from tests.standards import NINJS_VERSIONS, assert_valid

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ICT = timezone(timedelta(hours=7), "ICT")

HEADLINE = Text(
    km="ព័ត៌មានមិនពិត៖ ទឹកម៉ាស៊ីននៅរាជធានីភ្នំពេញមិនមានជាតិពុលទេ",
    en="False: Phnom Penh tap water has not been poisoned",
)
BODY = Text(
    km=(
        "លទ្ធផលតេស្តគុណភាពទឹកចុងក្រោយបង្អស់បង្ហាញថា ទឹកម៉ាស៊ីនមានសុវត្ថិភាពសម្រាប់ប្រើប្រាស់។\n\n"
        "សូមប្រជាពលរដ្ឋកុំចែករំលែកព័ត៌មានមិនពិតនេះ។"
    ),
    en=(
        "The latest water quality tests show that tap water is safe to drink.\n\n"
        "Please do not share this false report.\nCheck official sources first."
    ),
)


# --- fixtures -------------------------------------------------------------------------------


def _published_item() -> RebuttalItem:
    """The conformance kit's sample item, with the texts, sources and times these tests check."""
    sample = sample_item()
    claim = sample.claim.model_copy(
        update={
            "summary": Text(
                km="ទឹកម៉ាស៊ីននៅរាជធានីភ្នំពេញត្រូវបានគេដាក់ថ្នាំពុល",
                en="Phnom Penh tap water has been poisoned",
            ),
            "topic": "public-health",
            "first_seen_at": datetime(2025, 3, 10, 7, 45, tzinfo=ICT),
            "appearances": [  # not in time order: the earliest is the second
                _seen("https://www.tiktok.com/@example/video/1", "TikTok", hour=9),
                _seen("https://www.facebook.com/example/posts/1", "Facebook", hour=7, minute=45),
            ],
        }
    )
    return sample.model_copy(
        update={
            "id": "UmVidXR0YWw6NDI=",
            "headline": HEADLINE,
            "body": BODY,
            "evidence": [
                EvidenceItem(
                    url="https://www.moh.gov.kh/water-quality/2025-03",
                    title=Text(
                        km="លទ្ធផលតេស្តគុណភាពទឹក ខែមីនា ឆ្នាំ២០២៥",
                        en="Water quality test results, March 2025",
                    ),
                    note=Text(
                        km="សំណាក ១២០ ពី ១៤ ស្រុក ទាំងអស់ស្ថិតក្នុងដែនកំណត់របស់ WHO។",
                        en="120 samples from 14 districts, all within WHO limits.",
                    ),
                ),
                EvidenceItem(
                    url="https://ppwsa.example.kh/statement",
                    title=Text(km="សេចក្តីថ្លែងការណ៍របស់ រ.ទ.ភ.ព.", en="PPWSA statement"),
                ),
            ],
            "claim": claim,
            "url": "https://factcheck.example.gov.kh/rebuttals/42",
            "first_published_at": datetime(2025, 3, 11, 10, 0, tzinfo=ICT),
            "published_at": datetime(2025, 3, 11, 10, 0, tzinfo=ICT),
        }
    )


def _seen(url: str, outlet: str, *, hour: int, minute: int = 0) -> AppearanceItem:
    """An appearance of the claim on 10 March 2025, Phnom Penh time."""
    return AppearanceItem(
        url=url, outlet=outlet, seen_at=datetime(2025, 3, 10, hour, minute, tzinfo=ICT)
    )


@pytest.fixture
def published() -> RebuttalItem:
    """Revision 1 of a rebuttal, just published."""
    return _published_item()


@pytest.fixture
def corrected(published: RebuttalItem) -> RebuttalItem:
    """Revision 2, correcting revision 1."""
    return published.model_copy(
        update={
            "revision": 2,
            "action": Action.UPDATE,
            "headline": Text(
                km=HEADLINE.km, en="False: Phnom Penh tap water has not been contaminated"
            ),
            "published_at": datetime(2025, 3, 12, 8, 30, 15, 250_000, tzinfo=ICT),
        }
    )


@pytest.fixture
def retracted(corrected: RebuttalItem) -> RebuttalItem:
    """Revision 2 withdrawn."""
    return corrected.model_copy(
        update={
            "action": Action.RETRACT,
            "retracted_at": datetime(2025, 3, 13, 14, 0, tzinfo=ICT),
            "retraction_reason": Text(
                km="លទ្ធផលតេស្តថ្មីពីស្រុកមួយ កំពុងត្រូវបានផ្ទៀងផ្ទាត់។",
                en="New test results from one district are still being verified.",
            ),
        }
    )


@pytest.fixture(params=["published", "corrected", "retracted"])
def any_item(request: pytest.FixtureRequest) -> RebuttalItem:
    """Each kind of delivery in turn: publish, correction, retraction."""
    return request.getfixturevalue(request.param)


# --- ninjs schema validation ----------------------------------------------------------------


@pytest.mark.parametrize("version", NINJS_VERSIONS)
def test_ninjs_validates_against_the_iptc_schema(
    ninjs_validators: dict[str, Validator], any_item: RebuttalItem, version: NinjsVersion
) -> None:
    assert_valid(ninjs_validators, version, render_ninjs(any_item, version=version))


@pytest.mark.parametrize("version", NINJS_VERSIONS)
def test_ninjs_schema_check_catches_a_wrong_property_name(
    ninjs_validators: dict[str, Validator], published: RebuttalItem, version: NinjsVersion
) -> None:
    ninjs = render_ninjs(published, version=version)
    ninjs["pubStatus" if version == "2.1" else "pubstatus"] = "usable"
    assert not ninjs_validators[version].is_valid(ninjs)


# --- ninjs mapping --------------------------------------------------------------------------


def test_ninjs_21_is_english_with_the_khmer_version_associated(published: RebuttalItem) -> None:
    ninjs = render_ninjs(published)

    assert ninjs["uri"] == published.url
    assert ninjs["standard"]["version"] == "2.1"
    assert ninjs["version"] == "1"
    assert ninjs["pubstatus"] == "usable"
    assert ninjs["firstcreated"] == ninjs["versioncreated"] == "2025-03-11T03:00:00Z"
    assert ninjs["language"] == "en"
    assert ninjs["headlines"][0]["value"] == HEADLINE.en
    assert ninjs["bodies"][0] == {"role": "main", "contenttype": "text/plain", "value": BODY.en}
    assert ninjs["descriptions"][0]["role"] == "claim"
    assert ninjs["descriptions"][0]["value"] == published.claim.summary.en
    assert ninjs["by"] == "Ministry of Health"
    assert "ednote" not in ninjs

    khmer = _association(ninjs, "translation-km")
    assert khmer["language"] == "km"
    assert khmer["headlines"][0]["value"] == HEADLINE.km
    assert khmer["bodies"][0]["value"] == BODY.km
    assert khmer["descriptions"][0]["value"] == published.claim.summary.km
    assert khmer["by"] == "ក្រសួងសុខាភិបាល"
    assert "rel" not in khmer  # associations have no rel in 2.x


def test_ninjs_31_uses_camel_case_and_association_rel(published: RebuttalItem) -> None:
    ninjs = render_ninjs(published, version="3.1")

    assert ninjs["pubStatus"] == "usable"
    assert ninjs["versionCreated"] == ninjs["firstCreated"]
    assert ninjs["headlines"][0]["contentType"] == "text/plain"
    assert {"pubstatus", "versioncreated", "firstcreated", "altids"}.isdisjoint(ninjs)
    assert _association(ninjs, "translation-km")["rel"] == "translation"
    assert _association(ninjs, "evidence-1")["rel"] == "evidence"


@pytest.mark.parametrize("version", NINJS_VERSIONS)
def test_ninjs_lists_evidence_as_associations(
    published: RebuttalItem, version: NinjsVersion
) -> None:
    ninjs = render_ninjs(published, version=version)

    first, second = _association(ninjs, "evidence-1"), _association(ninjs, "evidence-2")
    assert first["uri"] == published.evidence[0].url
    assert first["title"] == published.evidence[0].title.en
    assert first["descriptions"][0]["value"] == published.evidence[0].note.en
    assert second["uri"] == published.evidence[1].url
    assert "descriptions" not in second  # no note, no description


@pytest.mark.parametrize("version", NINJS_VERSIONS)
def test_ninjs_khmer_version_lists_the_evidence_in_khmer(
    published: RebuttalItem, version: NinjsVersion
) -> None:
    khmer = _association(render_ninjs(published, version=version), "translation-km")

    first, second = khmer["associations"]
    assert first["name"] == "evidence-1" and first["uri"] == published.evidence[0].url
    assert first["title"] == published.evidence[0].title.km
    assert first["descriptions"][0]["value"] == published.evidence[0].note.km
    assert second["title"] == published.evidence[1].title.km


def test_ninjs_subjects_carry_topic_and_verdict(published: RebuttalItem) -> None:
    subjects = {subject["rel"]: subject for subject in render_ninjs(published)["subjects"]}

    assert subjects["topic"]["literal"] == "public-health"
    assert subjects["verdict"] == {"name": "False", "literal": "FALSE", "rel": "verdict"}


@pytest.mark.parametrize("version", NINJS_VERSIONS)
def test_ninjs_correction_keeps_the_uri_and_says_what_it_corrects(
    published: RebuttalItem, corrected: RebuttalItem, version: NinjsVersion
) -> None:
    ninjs = render_ninjs(corrected, version=version)
    ed_note = ninjs["ednote" if version == "2.1" else "edNote"]

    assert ninjs["uri"] == render_ninjs(published, version=version)["uri"]
    assert ninjs["version"] == "2"
    assert "corrects" in ed_note and "revision 1" in ed_note
    assert ninjs["versionCreated" if version == "3.1" else "versioncreated"] == (
        "2025-03-12T01:30:15Z"
    )


@pytest.mark.parametrize("version", NINJS_VERSIONS)
def test_ninjs_retraction_is_canceled_with_the_reason(
    retracted: RebuttalItem, version: NinjsVersion
) -> None:
    ninjs = render_ninjs(retracted, version=version)
    status, note = ("pubstatus", "ednote") if version == "2.1" else ("pubStatus", "edNote")

    assert ninjs[status] == "canceled"
    assert _association(ninjs, "translation-km")[status] == "canceled"
    assert "Retracted" in ninjs[note]
    assert retracted.retraction_reason.en in ninjs[note]
    khmer_note = _association(ninjs, "translation-km")[note]
    assert retracted.retraction_reason.km in khmer_note
    assert retracted.retraction_reason.en not in khmer_note


def test_ninjs_rejects_an_unknown_version(published: RebuttalItem) -> None:
    with pytest.raises(ValueError, match="ninjs version"):
        render_ninjs(published, version="1.0")  # type: ignore[arg-type]


def test_times_are_utc_and_naive_times_are_taken_as_utc(published: RebuttalItem) -> None:
    naive = published.model_copy(update={"first_published_at": datetime(2025, 3, 11, 3, 0)})

    assert render_ninjs(naive)["firstcreated"] == render_ninjs(published)["firstcreated"]
    assert render_ninjs(published)["firstcreated"] == "2025-03-11T03:00:00Z"


def _association(ninjs: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [association for association in ninjs["associations"] if association["name"] == name]
    assert len(matches) == 1, f"expected one association named {name!r}"
    return matches[0]


# --- NewsML-G2 ------------------------------------------------------------------------------


def _parse(xml: str) -> etree._Element:
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8'?>")
    return etree.fromstring(xml.encode("utf-8"))


def _texts(root: etree._Element, path: str) -> dict[str | None, str | None]:
    return {element.get(XML_LANG): element.text for element in root.iterfind(path)}


def test_newsml_publish_is_a_usable_bilingual_news_item(published: RebuttalItem) -> None:
    root = _parse(render_newsml_g2(published))

    assert root.tag == f"{NAR}newsItem"
    assert root.get("standard") == "NewsML-G2"
    assert root.get("standardversion") == "2.33"
    assert root.get("conformance") == "power"
    assert root.get("version") == "1"
    assert root.find(f"{NAR}itemMeta/{NAR}itemClass").get("qcode") == "ninat:text"
    assert root.find(f"{NAR}itemMeta/{NAR}pubStatus").get("qcode") == "stat:usable"
    assert root.findtext(f"{NAR}itemMeta/{NAR}versionCreated") == "2025-03-11T03:00:00Z"
    assert root.findtext(f"{NAR}itemMeta/{NAR}firstCreated") == "2025-03-11T03:00:00Z"
    assert root.find(f"{NAR}itemMeta/{NAR}signal") is None
    assert root.find(f"{NAR}itemMeta/{NAR}edNote") is None

    assert _texts(root, f"{NAR}contentMeta/{NAR}headline") == {"en": HEADLINE.en, "km": HEADLINE.km}
    assert _texts(root, f"{NAR}contentMeta/{NAR}description") == {
        "en": published.claim.summary.en,
        "km": published.claim.summary.km,
    }
    creator = root.find(f"{NAR}contentMeta/{NAR}creator")
    assert _texts(creator, f"{NAR}name") == {"en": "Ministry of Health", "km": "ក្រសួងសុខាភិបាល"}
    languages = [element.get("tag") for element in root.iterfind(f"{NAR}contentMeta/{NAR}language")]
    assert languages == ["en", "km"]


def test_newsml_body_is_xhtml_in_both_languages(published: RebuttalItem) -> None:
    root = _parse(render_newsml_g2(published))
    inline = root.find(f"{NAR}contentSet/{NAR}inlineXML")

    assert inline.get("contenttype") == "application/xhtml+xml"
    sections = {
        div.get(XML_LANG): div for div in inline.iterfind(f"{XHTML}html/{XHTML}body/{XHTML}div")
    }
    assert sections.keys() == {"en", "km"}
    assert sections["km"].findtext(f"{XHTML}h1") == HEADLINE.km
    km_paragraphs = [p.text for p in sections["km"].iterfind(f"{XHTML}p")]
    assert km_paragraphs == BODY.km.split("\n\n")
    en_paragraphs = sections["en"].findall(f"{XHTML}p")
    assert len(en_paragraphs) == 2
    assert "".join(en_paragraphs[1].itertext()) == (
        "Please do not share this false report.Check official sources first."
    )
    assert en_paragraphs[1].find(f"{XHTML}br") is not None


def test_newsml_links_the_evidence(published: RebuttalItem) -> None:
    root = _parse(render_newsml_g2(published))
    links = root.findall(f"{NAR}itemMeta/{NAR}link")

    assert [(link.get("rel"), link.get("href"), link.get("title")) for link in links] == [
        ("irel:seeAlso", evidence.url, evidence.title.en) for evidence in published.evidence
    ]


def test_newsml_body_lists_the_evidence_in_each_language(published: RebuttalItem) -> None:
    root = _parse(render_newsml_g2(published))
    for language in ("en", "km"):
        section = root.find(f".//{XHTML}div[@lang='{language}']")
        links = section.findall(f"{XHTML}ul/{XHTML}li/{XHTML}a")
        assert [(a.get("href"), a.text) for a in links] == [
            (e.url, getattr(e.title, language)) for e in published.evidence
        ]
        assert getattr(published.evidence[0].note, language) in links[0].tail


def test_newsml_guid_is_stable_across_revisions(
    published: RebuttalItem, corrected: RebuttalItem, retracted: RebuttalItem
) -> None:
    guids = {
        _parse(render_newsml_g2(item)).get("guid") for item in (published, corrected, retracted)
    }

    assert len(guids) == 1
    assert guids.pop().endswith(published.id)


def test_newsml_correction_signals_it(corrected: RebuttalItem) -> None:
    root = _parse(render_newsml_g2(corrected))
    meta = root.find(f"{NAR}itemMeta")

    assert root.get("version") == "2"
    assert meta.find(f"{NAR}pubStatus").get("qcode") == "stat:usable"
    assert [signal.get("qcode") for signal in meta.iterfind(f"{NAR}signal")] == ["sig:correction"]
    assert "revision 1" in meta.findtext(f"{NAR}edNote")
    previous = meta.find(f"{NAR}link[@rel='irel:previousVersion']")
    assert previous.get("residref") == root.get("guid")
    assert previous.get("version") == "1"
    assert meta.findtext(f"{NAR}versionCreated") == "2025-03-12T01:30:15Z"
    assert meta.findtext(f"{NAR}firstCreated") == "2025-03-11T03:00:00Z"


def test_newsml_retraction_is_canceled_with_the_reason(retracted: RebuttalItem) -> None:
    root = _parse(render_newsml_g2(retracted))
    meta = root.find(f"{NAR}itemMeta")

    assert meta.find(f"{NAR}pubStatus").get("qcode") == "stat:canceled"
    assert meta.find(f"{NAR}signal") is None  # a retraction is not a correction
    notes = {note.get(XML_LANG): note.text for note in meta.iterfind(f"{NAR}edNote")}
    assert retracted.retraction_reason.en in notes["en"]
    assert retracted.retraction_reason.km in notes["km"]
    assert meta.findtext(f"{NAR}versionCreated") == "2025-03-13T07:00:00Z"


def test_newsml_item_meta_follows_the_schema_order(corrected: RebuttalItem) -> None:
    meta = _parse(render_newsml_g2(corrected)).find(f"{NAR}itemMeta")
    order = [child.tag.removeprefix(NAR) for child in meta]

    assert order == [
        "itemClass",
        "provider",
        "versionCreated",
        "firstCreated",
        "pubStatus",
        "edNote",
        "edNote",
        "signal",
        "link",
        "link",
        "link",
    ]


# --- ClaimReview ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verdict", "value", "label"),
    [
        ("FALSE", 1, "False"),
        ("MISLEADING", 2, "Misleading"),
        ("MISSING_CONTEXT", 3, "Missing context"),
        ("UNSUPPORTED", 3, "Unsupported"),
        ("ACCURATE", 5, "Accurate"),
    ],
)
def test_claimreview_rates_each_verdict(
    published: RebuttalItem, verdict: str, value: int, label: str
) -> None:
    rating = render_claimreview(published.model_copy(update={"verdict": verdict}))["reviewRating"]

    assert rating == {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": label,
    }
    assert VERDICT_RATINGS[verdict] == (value, label)


def test_claimreview_describes_the_claim_and_where_it_appeared(published: RebuttalItem) -> None:
    review = render_claimreview(published)

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == published.url
    assert review["claimReviewed"] == "Phnom Penh tap water has been poisoned"
    assert review["headline"] == HEADLINE.en
    assert review["datePublished"] == "2025-03-11T03:00:00Z"
    assert review["inLanguage"] == "en"
    assert review["author"]["@type"] == "Organization"
    assert review["author"]["name"] == "Ministry of Health"
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert [work["url"] for work in claim["appearance"]] == [
        appearance.url for appearance in published.claim.appearances
    ]
    assert claim["firstAppearance"]["url"] == "https://www.facebook.com/example/posts/1"
    assert claim["firstAppearance"]["publisher"]["name"] == "Facebook"
    assert {"dateModified", "correction", "creativeWorkStatus"}.isdisjoint(review)


def test_claimreview_marks_corrections_and_retractions(
    corrected: RebuttalItem, retracted: RebuttalItem
) -> None:
    correction = render_claimreview(corrected)
    retraction = render_claimreview(retracted)

    assert correction["dateModified"] == "2025-03-12T01:30:15Z"
    assert correction["correction"]["@type"] == "CorrectionComment"
    assert retraction["creativeWorkStatus"] == "Retracted"
    assert retraction["dateModified"] == "2025-03-13T07:00:00Z"
    assert "correction" not in retraction


def test_claimreview_without_appearances_omits_them(published: RebuttalItem) -> None:
    claim = published.claim.model_copy(update={"appearances": []})
    review = render_claimreview(published.model_copy(update={"claim": claim}))

    assert review["itemReviewed"] == {"@type": "Claim"}


def test_claimreview_rejects_an_unknown_verdict(published: RebuttalItem) -> None:
    with pytest.raises(ValueError, match="PANTS_ON_FIRE"):
        render_claimreview(published.model_copy(update={"verdict": "PANTS_ON_FIRE"}))


# --- determinism ----------------------------------------------------------------------------


def test_rendering_is_deterministic(any_item: RebuttalItem) -> None:
    twin = RebuttalItem.model_validate_json(any_item.model_dump_json())

    assert render_newsml_g2(any_item) == render_newsml_g2(twin)
    assert orjson.dumps(render_claimreview(any_item)) == orjson.dumps(render_claimreview(twin))
    for version in NINJS_VERSIONS:
        first = orjson.dumps(render_ninjs(any_item, version=version))
        again = orjson.dumps(render_ninjs(twin, version=version))
        assert first == again


# --- arbitrary text -------------------------------------------------------------------------

# Any text: every Unicode category hypothesis draws (NUL excluded, since the database never
# stores it), weighted towards Khmer and towards control characters XML 1.0 forbids.
_ANY_CHARACTER = st.characters(exclude_characters="\x00")
_KHMER = st.characters(min_codepoint=0x1780, max_codepoint=0x17FF)
_CONTROLS = st.sampled_from("\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\ufffe\uffff\t\n\r")
TEXT = st.text(st.one_of(_ANY_CHARACTER, _KHMER, _CONTROLS))
BILINGUAL = st.builds(Text, km=TEXT, en=TEXT)


def _with_text(headline: Text, body: Text, summary: Text) -> RebuttalItem:
    item = _published_item()
    claim = item.claim.model_copy(update={"summary": summary})
    return item.model_copy(update={"headline": headline, "body": body, "claim": claim})


@settings(deadline=None)
@given(headline=BILINGUAL, body=BILINGUAL, summary=BILINGUAL)
def test_newsml_is_well_formed_for_any_text(headline: Text, body: Text, summary: Text) -> None:
    root = _parse(render_newsml_g2(_with_text(headline, body, summary)))

    assert _texts(root, f"{NAR}contentMeta/{NAR}headline") == {
        "en": clean_text(headline.en) or None,
        "km": clean_text(headline.km) or None,
    }


@settings(deadline=None)
@given(headline=BILINGUAL, body=BILINGUAL, summary=BILINGUAL)
def test_ninjs_is_valid_for_any_text(
    ninjs_validators: dict[str, Validator], headline: Text, body: Text, summary: Text
) -> None:
    item = _with_text(headline, body, summary)
    for version in NINJS_VERSIONS:
        ninjs = render_ninjs(item, version=version)
        assert_valid(ninjs_validators, version, ninjs)
        assert ninjs["headlines"][0]["value"] == clean_text(headline.en)
        orjson.dumps(ninjs)  # serializable as strict UTF-8 JSON


def test_text_xml_forbids_is_dropped_everywhere(published: RebuttalItem) -> None:
    dirty = Text(km="ក\x00ខ\ud800គ", en="a\x00b\x1bc\ufffed")
    item = published.model_copy(update={"headline": dirty, "body": dirty})

    root = _parse(render_newsml_g2(item))
    assert _texts(root, f"{NAR}contentMeta/{NAR}headline") == {"en": "abcd", "km": "កខគ"}
    assert render_ninjs(item)["headlines"][0]["value"] == "abcd"
    assert render_claimreview(item)["headline"] == "abcd"
    assert clean_text("tab\tnew\nline\rkept") == "tab\tnew\nline\rkept"


def test_an_item_of_version_1_is_read_with_its_texts_in_both_languages(
    retracted: RebuttalItem,
) -> None:
    """A delivery queued before version 2 stored one-language texts: the worker still renders
    it, each text in both languages (as the database migration kept the rebuttal's own)."""
    stored = retracted.model_dump(mode="json")
    stored.update(
        version=1,
        retraction_reason="Withdrawn.",
        evidence=[{"url": "https://who.example/a", "title": "WHO", "note": ""}],
    )

    item = RebuttalItem.model_validate(stored)

    assert item.version == 2
    assert item.retraction_reason == Text(km="Withdrawn.", en="Withdrawn.")
    assert item.evidence[0].title == Text(km="WHO", en="WHO")
    assert item.evidence[0].note == Text(km="", en="")
