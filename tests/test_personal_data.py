"""No personal data in an appearance: the rules, and reportClaim refusing before it writes."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordhub.models import Appearance, Claim, Event
from coordhub.workflow.errors import ErrorCode, WorkflowError
from coordhub.workflow.inputs import AppearanceInput
from coordhub.workflow.personal_data import TRACKING, is_tracking, strip_tracking
from tests.flows import report_input
from tests.support import GraphQLClient

SEEN = datetime(2026, 11, 24, 12, 30, tzinfo=UTC)

#: (url, outlet) accepted, and the url as stored.
ACCEPTED = [
    ("https://social.example/posts/8812", "Social.example", "https://social.example/posts/8812"),
    (
        "https://www.facebook.com/freshnewsasia/posts/1234567890?fbclid=IwAR0x&__tn__=-R",
        "Facebook",
        "https://www.facebook.com/freshnewsasia/posts/1234567890",
    ),
    (
        "https://m.facebook.com/permalink.php?story_fbid=99&id=42&mibextid=Nif5oz",
        "ហ្វេសប៊ុក",
        "https://m.facebook.com/permalink.php?story_fbid=99&id=42",
    ),
    ("https://www.facebook.com/groups/123/posts/456", "Facebook group", None),
    ("https://www.facebook.com/watch?v=987", "Facebook", None),
    ("https://t.me/freshnews/12345", "Telegram", None),
    ("https://t.me/s/freshnews/12345", "តេឡេក្រាម", None),
    ("https://x.com/someone/status/1860?s=20&t=Ab12", "X", "https://x.com/someone/status/1860"),
    ("https://twitter.com/i/web/status/1860", "Twitter", None),
    (
        "https://www.tiktok.com/@user/video/7312?is_from_webapp=1&sender_device=pc&lang=km",
        "TikTok",
        "https://www.tiktok.com/@user/video/7312?lang=km",
    ),
    ("https://vm.tiktok.com/ZSabc123/", "TikTok", None),
    (
        "https://www.youtube.com/watch?v=dQw4&si=share1&t=42",
        "YouTube",
        "https://www.youtube.com/watch?v=dQw4&t=42",
    ),
    ("https://youtu.be/dQw4?si=abc", "YouTube", "https://youtu.be/dQw4"),
    ("https://www.youtube.com/shorts/abc", "YouTube", None),
    ("https://www.instagram.com/p/Cx1?igshid=MzRl", "Instagram", "https://www.instagram.com/p/Cx1"),
    (
        "https://kh-newsfeed.example/2024/schools-closed?utm_source=fb&UTM_Medium=x&page=2",
        "KH Newsfeed",
        "https://kh-newsfeed.example/2024/schools-closed?page=2",
    ),
    ("https://news.example/ព័ត៌មាន/១២៣", "សារព័ត៌មាន ឧទាហរណ៍", None),
    ("https://news.example/2026/11/24/012345678", "Radio FM 105.5", None),
    ("https://chat.example/channels/public/40217", "CNC 24/7", None),
]

#: (url, outlet, field at fault, words the message contains).
REFUSED = [
    ("https://news.example/a", "Sok Dara, +855 12 345 678", "outlet", "phone number"),
    ("https://news.example/a", "សុខ ដារា ០១២ ៣៤៥ ៦៧៨", "outlet", "phone number"),
    ("https://news.example/a", "Shared by 012345678", "outlet", "phone number"),
    ("https://news.example/a", "ទូរស័ព្ទ ០៩៧ ២២២ ៣៣៣៣", "outlet", "phone number"),
    ("https://news.example/a", "Facebook +1 202 555 0143", "outlet", "phone number"),
    ("https://news.example/a", "dara.sok@mail.example.com", "outlet", "e-mail"),
    ("https://news.example/a", "Telegram @sokdara", "outlet", "handle"),
    ("https://www.facebook.com/sok.dara", "Facebook", "url", "profile"),
    ("https://www.facebook.com/sok.dara/about", "Facebook", "url", "profile"),
    ("https://facebook.com/profile.php?id=100012345678", "Facebook", "url", "profile"),
    ("https://m.facebook.com/people/Sok-Dara/1000123", "Facebook", "url", "profile"),
    ("https://www.facebook.com/sok.dara?fbclid=IwAR0", "Facebook", "url", "profile"),
    ("https://t.me/sokdara", "Telegram", "url", "profile"),
    ("https://telegram.me/s/sokdara", "Telegram", "url", "profile"),
    ("https://x.com/sokdara", "X", "url", "profile"),
    ("https://twitter.com/sokdara/with_replies", "Twitter", "url", "profile"),
    ("https://www.tiktok.com/@sokdara", "TikTok", "url", "profile"),
    ("https://www.instagram.com/sokdara/", "Instagram", "url", "profile"),
    ("https://www.youtube.com/@somechannel", "YouTube", "url", "channel"),
    ("https://www.youtube.com/channel/UC123", "YouTube", "url", "channel"),
    ("https://www.linkedin.com/in/sok-dara", "LinkedIn", "url", "profile"),
    ("https://wa.me/85512345678", "WhatsApp", "url", "phone number"),
    ("https://api.whatsapp.com/send?phone=85512345678", "WhatsApp", "url", "phone number"),
    ("https://m.me/sokdara", "Messenger", "url", "chat"),
    ("https://t.me/+85512345678", "Telegram", "url", "phone number"),
    ("https://news.example/share?from=dara%40mail.example.com", "News", "url", "e-mail"),
    ("https://dara:secret@news.example/a", "News", "url", "user name"),
]


def clean(url: str, outlet: str) -> AppearanceInput:
    return AppearanceInput(url=url, outlet=outlet, seen_at=SEEN).cleaned("appearances.0")


@pytest.mark.parametrize(("url", "outlet", "stored"), ACCEPTED)
def test_an_address_and_an_outlet_are_accepted(url: str, outlet: str, stored: str | None) -> None:
    cleaned = clean(url, outlet)
    assert cleaned.url == (stored or url)
    assert cleaned.outlet == outlet


@pytest.mark.parametrize(("url", "outlet", "field", "words"), REFUSED)
def test_personal_data_is_refused_and_the_message_says_why(
    url: str, outlet: str, field: str, words: str
) -> None:
    with pytest.raises(WorkflowError) as refused:
        clean(url, outlet)
    assert refused.value.code == ErrorCode.INVALID
    assert refused.value.field == f"appearances.0.{field}"
    assert words in refused.value.message
    assert "where the claim was seen, not who shared it" in refused.value.message


_key = st.one_of(
    st.sampled_from(sorted(TRACKING)),
    st.builds("utm_{}".format, st.text("abcdefghij", max_size=6)),
    st.sampled_from(["UTM_Source", "FBCLID", "utm%5Fcampaign", "id", "page", "v", "q", "lang"]),
    st.text("abcdefghijklmnopqrstuvwxyz_%5F0123456789", min_size=1, max_size=8),
)
_value = st.text("abcXYZ0123456789-_.%~=", max_size=8)


@given(
    host=st.sampled_from(["news.example", "www.youtube.com", "x.com", "www.facebook.com"]),
    path=st.sampled_from(["/a/posts/1", "/watch", "/someone/status/9", "/"]),
    pairs=st.lists(st.tuples(_key, _value), max_size=8),
    fragment=st.sampled_from(["", "#top"]),
)
def test_stripping_is_idempotent_and_keeps_no_tracking_parameter(
    host: str, path: str, pairs: list[tuple[str, str]], fragment: str
) -> None:
    query = "&".join(f"{k}={v}" for k, v in pairs)
    url = f"https://{host}{path}" + (f"?{query}" if query else "") + fragment
    stripped = strip_tracking(url)
    assert strip_tracking(stripped) == stripped
    parts = urlsplit(stripped)
    assert not any(is_tracking(k, host) for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    kept = [f"{k}={v}" for k, v in pairs if not is_tracking(k, host)]
    assert parts.query == "&".join(kept)
    assert stripped.endswith(fragment)


REPORT = (
    "mutation($input: ReportClaimInput!) { reportClaim(input: $input) { "
    "claim { id appearances { url outlet } } errors { code field message } } }"
)


async def test_report_claim_with_a_phone_number_writes_nothing(gql: GraphQLClient) -> None:
    before = (await Claim.all().count(), await Appearance.all().count(), await Event.all().count())
    report = report_input()
    report["appearances"].append(
        {
            "url": "https://news.example/a",
            "outlet": "Sok Dara, +855 12 345 678",
            "seenAt": "2026-11-24T08:00:00+07:00",
        }
    )

    data = await gql.execute(REPORT, {"input": report}, as_="reporter")

    payload = data["reportClaim"]
    assert payload["claim"] is None
    index = len(report["appearances"]) - 1
    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["errors"][0]["field"] == f"appearances.{index}.outlet"
    assert "not who shared it" in payload["errors"][0]["message"]
    after = (await Claim.all().count(), await Appearance.all().count(), await Event.all().count())
    assert after == before


async def test_report_claim_with_a_profile_url_writes_nothing(gql: GraphQLClient) -> None:
    before = (await Claim.all().count(), await Appearance.all().count())
    report = report_input()
    report["appearances"] = [
        {
            "url": "https://www.facebook.com/profile.php?id=1000",
            "outlet": "Facebook",
            "seenAt": "2026-11-24T08:00:00+07:00",
        }
    ]

    data = await gql.execute(REPORT, {"input": report}, as_="reporter")

    assert data["reportClaim"]["claim"] is None
    assert data["reportClaim"]["errors"][0]["field"] == "appearances.0.url"
    assert (await Claim.all().count(), await Appearance.all().count()) == before


async def test_report_claim_stores_urls_without_tracking_parameters(gql: GraphQLClient) -> None:
    report = report_input()
    report["appearances"] = [
        {
            "url": "https://www.youtube.com/watch?v=abc&si=Xy12&utm_source=share",
            "outlet": "YouTube",
            "seenAt": "2026-11-24T08:00:00+07:00",
        }
    ]

    data = await gql.execute(REPORT, {"input": report}, as_="reporter")

    assert data["reportClaim"]["errors"] == []
    assert data["reportClaim"]["claim"]["appearances"] == [
        {"url": "https://www.youtube.com/watch?v=abc", "outlet": "YouTube"}
    ]
