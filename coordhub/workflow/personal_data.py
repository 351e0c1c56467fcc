"""No personal data in an appearance: where a claim was seen, never who shared it.

An appearance is an address, an outlet or platform name and a time. This module refuses what
would identify a person instead: a phone number (Cambodian ``+855`` and ``0xx`` forms, Khmer or
Arabic digits, and international numbers), an e-mail address, an account handle in the outlet,
and an address that names an account rather than an item (a profile, a page or channel root,
a chat link to a person). Tracking parameters are stripped from every address before it is
stored: they tie the link to whoever shared or clicked it.

The rule for addresses is one for every platform: an address that names an account and no
post, video or message is refused, whoever holds the account (a person, a page or a channel,
YouTube's ``/@channel`` included): a person's account cannot be told from an outlet's by its
address, and the address of the item shows where the claim was seen. Name a news outlet's
page or channel in ``outlet`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

import phonenumbers

from coordhub.workflow.errors import WorkflowError, invalid

WHY = "An appearance is where the claim was seen, not who shared it"

#: Query parameters that track who shared or clicked a link, on any site (compared
#: case-folded, once percent-decoded); and every parameter starting with ``utm_``.
TRACKING = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "twclid", "ttclid", "li_fat_id", "igshid", "igsh", "si", "mibextid", "mc_cid",
        "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "__tn__", "__cft__", "__cft__[0]",
        "rdid", "share_url", "is_from_webapp", "sender_device", "is_copy_url", "web_id",
        "_r", "_t", "ref_src", "ref_url", "s_cid", "oly_anon_id", "oly_enc_id", "vero_id",
        "wickedid", "spm", "share_app_id", "share_id",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "__cft__")
#: Parameters that track only on some sites (elsewhere they may carry meaning).
TRACKING_ON: dict[str, frozenset[str]] = {
    "x.com": frozenset({"s", "t"}),
    "twitter.com": frozenset({"s", "t"}),
    "youtube.com": frozenset({"feature", "pp"}),
    "youtu.be": frozenset({"feature", "pp"}),
    "instagram.com": frozenset({"img_index"}),
}

_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}", re.UNICODE)
#: An account handle in free text: ``@name`` not preceded by a word character (an e-mail).
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}")
_DIGITS = re.compile(r"\d")


def is_tracking(key: str, host: str = "") -> bool:
    """Whether a query parameter named ``key`` (raw, as in the URL) tracks a click or a share."""
    name = unquote_plus(key).strip().casefold()
    if name in TRACKING or name.startswith(TRACKING_PREFIXES):
        return True
    site = _site(host)
    return site is not None and name in TRACKING_ON.get(site, frozenset())


def strip_tracking(url: str) -> str:
    """``url`` without its tracking parameters; every other parameter kept as written, in order.

    Idempotent: stripping a stripped address changes nothing."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair and not is_tracking(pair.split("=", 1)[0], parts.hostname or "")
    ]
    return urlunsplit(parts._replace(query="&".join(kept)))


def phone_numbers(text: str) -> list[str]:
    """The phone numbers in ``text``, as written: numbers valid in Cambodia (``012 345 678``,
    ``+855 12 345 678``, Khmer digits alike) or, with a ``+``, anywhere."""
    if len(_DIGITS.findall(text)) < 7:
        return []
    return [
        match.raw_string
        for match in phonenumbers.PhoneNumberMatcher(text, "KH", phonenumbers.Leniency.VALID)
    ]


def emails(text: str) -> list[str]:
    """The e-mail addresses in ``text``."""
    return _EMAIL.findall(text)


def check_outlet(outlet: str, path: str) -> str:
    """``outlet`` unchanged, or INVALID if it holds a phone number, an e-mail or a handle."""
    if emails(outlet):
        raise _refused("an e-mail address", "name the outlet or platform", path)
    if phone_numbers(outlet):
        raise _refused("a phone number", "name the outlet or platform", path)
    if _HANDLE.search(outlet):
        raise _refused("an account handle", "name the outlet or platform (e.g. Facebook)", path)
    return outlet


def clean_appearance_url(url: str, path: str) -> str:
    """``url`` (already an absolute http(s) URL) without tracking parameters, or INVALID if it
    holds contact details or names an account rather than the item where the claim was seen."""
    url = strip_tracking(url)
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise _refused("a user name", "link the item without one", path)
    decoded = unquote(parts.path) + "?" + unquote_plus(parts.query)
    if emails(decoded):
        raise _refused("an e-mail address", "link the item where the claim was seen", path)
    segments = [s for s in unquote(parts.path).split("/") if s]
    site = _site(parts.hostname or "")
    rule = _PROFILE_RULES.get(site) if site else None
    query = {
        unquote_plus(k).casefold(): unquote_plus(v)
        for k, _, v in (p.partition("=") for p in parts.query.split("&") if p)
    }
    if any(k in _PHONE_KEYS for k in query) or (rule is _chat_with and segments):
        raise _refused("a phone number or chat contact", "link the item instead", path)
    if any(s.startswith("+") and phone_numbers(s) for s in segments):
        raise _refused("a phone number", "link the item where the claim was seen", path)
    if rule is not None and rule(segments, query):
        raise invalid(
            f"This address is an account (a profile, page or channel), not a post. {WHY}: "
            "link the post, video or message itself, and name the platform in outlet.",
            path,
        )
    return url


def _refused(what: str, instead: str, path: str) -> WorkflowError:
    return invalid(f"Contains {what}. {WHY}: {instead}.", path)


_PHONE_KEYS = frozenset({"phone", "tel", "mobile", "msisdn"})


def _site(host: str) -> str | None:
    """The platform a host belongs to (``m.facebook.com`` -> ``facebook.com``), if known."""
    host = host.casefold().rstrip(".")
    for site in _SITES:
        if host == site or host.endswith("." + site):
            return _ALIASES.get(site, site)
    return None


Segments = list[str]
Query = dict[str, str]


def _facebook(segments: Segments, query: Query) -> bool:
    if not segments:
        return False
    first = segments[0].casefold()
    if first == "profile.php" or first == "people":
        return True
    if first in _FACEBOOK_ITEMS or first.endswith(".php"):
        return False
    # /<name>, /<name>/about, /<name>/photos: the account; /<name>/posts/<id>: a post.
    return not (len(segments) >= 3 and segments[1].casefold() in _FACEBOOK_POSTS)


_FACEBOOK_ITEMS = frozenset(
    {
        "groups", "events", "watch", "reel", "reels", "share", "story.php", "permalink.php",
        "photo.php", "photo", "video.php", "hashtag", "marketplace", "stories", "live",
        "media", "notes", "gaming", "fundraisers", "ads", "posts", "videos", "photos",
        "permalink", "story", "sharer",
    }
)  # fmt: skip
_FACEBOOK_POSTS = frozenset({"posts", "videos", "photos", "permalink", "activity", "reels"})


def _x(segments: Segments, query: Query) -> bool:
    if not segments or segments[0].casefold() in _X_ITEMS:
        return False
    return not (len(segments) >= 3 and segments[1].casefold() == "status")


_X_ITEMS = frozenset({"i", "hashtag", "search", "explore", "intent", "share", "home"})


def _telegram(segments: Segments, query: Query) -> bool:
    if segments and segments[0] == "s":
        segments = segments[1:]
    # /<name>: an account or a channel; /<channel>/<message>: a message.
    return len(segments) == 1


def _tiktok(segments: Segments, query: Query) -> bool:
    return bool(segments) and segments[0].startswith("@") and len(segments) < 3


def _instagram(segments: Segments, query: Query) -> bool:
    if not segments or segments[0].casefold() in _INSTAGRAM_ITEMS:
        return False
    return not (len(segments) >= 3 and segments[1].casefold() in ("p", "reel", "tv"))


_INSTAGRAM_ITEMS = frozenset({"p", "reel", "reels", "tv", "stories", "explore", "share"})


def _youtube(segments: Segments, query: Query) -> bool:
    if not segments:
        return False
    first = segments[0].casefold()
    return first.startswith("@") or first in ("channel", "c", "user")


def _linkedin(segments: Segments, query: Query) -> bool:
    return bool(segments) and segments[0].casefold() in ("in", "pub")


def _reddit(segments: Segments, query: Query) -> bool:
    return bool(segments) and segments[0].casefold() in ("user", "u")


def _threads(segments: Segments, query: Query) -> bool:
    return bool(segments) and segments[0].startswith("@") and len(segments) < 3


def _bluesky(segments: Segments, query: Query) -> bool:
    return len(segments) >= 2 and segments[0] == "profile" and "post" not in segments[2:3]


def _chat_with(segments: Segments, query: Query) -> bool:
    """wa.me/<number>, m.me/<name>: a chat with a person, never an item."""
    return bool(segments)


_PROFILE_RULES: dict[str, Callable[[Segments, Query], bool]] = {
    "facebook.com": _facebook,
    "x.com": _x,
    "twitter.com": _x,
    "t.me": _telegram,
    "tiktok.com": _tiktok,
    "instagram.com": _instagram,
    "youtube.com": _youtube,
    "linkedin.com": _linkedin,
    "reddit.com": _reddit,
    "threads.net": _threads,
    "bsky.app": _bluesky,
    "wa.me": _chat_with,
    "m.me": _chat_with,
}
_ALIASES = {"fb.com": "facebook.com", "telegram.me": "t.me", "threads.com": "threads.net"}
_SITES = (*_PROFILE_RULES, *_ALIASES, "youtu.be")
