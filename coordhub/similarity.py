"""How alike two claims' texts are: Khmer-aware normalisation and trigram similarity.

Khmer is written without spaces between words and is typed in more than one way: zero-width
spaces (U+200B) between words or not, Khmer digits or Arabic ones, and within a syllable the
subscripts (coeng, U+17D2, and a consonant), register shifters and vowel signs in whichever
order the keyboard produced them (``ស្ត្រី`` and ``ស្រ្តី`` look alike). ``normalise`` brings each
variant to one form: invisible joiners and spaces removed, NFC, Khmer digits as Arabic ones,
case-folded, punctuation and white space collapsed to one space, and the marks of each Khmer
syllable in one order (subscripts, coeng RO last among them, then register shifters, vowels and
other signs).

``similarity`` is PostgreSQL ``pg_trgm``'s ``similarity()`` computed in Python: each word (a run
of letters, marks and digits) padded with two spaces before and one after, its three-character
windows as a set, and the shared trigrams over all of both (Jaccard). PostgreSQL scores the
stored normal forms with ``similarity()`` itself (``workflow/duplicates.py``), SQLite with this
function, so a threshold means the same on both (tests/test_duplicates.py compares them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: From this score up a claim is a possible duplicate (precision and recall on the labelled
#: set of bench/duplicates.jsonl: ``python -m bench.duplicates``); PostgreSQL's
#: ``pg_trgm.similarity_threshold`` on every connection (``db.connection_config``).
THRESHOLD = 0.45
#: Characters that change nothing a reader sees: removed.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u17b4\u17b5"), None)
#: Khmer digits (and the Khmer lunar-date digits' plain forms) as Arabic ones.
DIGITS = {0x17E0 + n: str(n) for n in range(10)}
COENG = "\u17d2"
RO = "\u179a"
#: Order of the marks that follow a Khmer base character, by their first code point.
_SHIFTERS = frozenset("\u17c9\u17ca")
_VOWELS = frozenset(chr(c) for c in range(0x17B6, 0x17C6))
_BASE = re.compile("[\u1780-\u17b3]")
_MARK_RUN = re.compile(f"(?:{COENG}[\u1780-\u17b3]|[\u17b6-\u17d1\u17d3\u17dd])+")
_ITEM = re.compile(f"{COENG}[\u1780-\u17b3]|[\u17b6-\u17d1\u17d3\u17dd]")
#: Khmer marks that PostgreSQL's ``pg_trgm`` takes for word breaks (with a UTF-8 ``LC_CTYPE``
#: it counts only letters and digits as word characters, and these are neither): the coeng,
#: register shifters and most signs. Dropped once the marks are in order, so that a Khmer
#: word stays one word on both databases (``ស្ត្រី`` compares as ``សតរី``), at little cost:
#: the consonants and vowels are what tell two texts apart.
_DROPPED = re.compile("[\u17c9-\u17d3\u17dd]")
#: Khmer characters that are part of a word: consonants, independent and dependent vowels,
#: nikahit, reahmuk, yuukaleapintu, lek too (repetition) and the avakrahasanya.
_KHMER_WORD = frozenset([chr(c) for c in range(0x1780, 0x17C9)] + ["\u17d7", "\u17dc"])


def _rank(item: str) -> int:
    if item.startswith(COENG):
        return 1 if item[1] == RO else 0
    if item in _SHIFTERS:
        return 2
    if item in _VOWELS:
        return 3
    return 4


def _canonical_marks(match: re.Match[str]) -> str:
    items = _ITEM.findall(match.group())
    return "".join(sorted(items, key=_rank))


def _word_character(char: str) -> bool:
    if "\u1780" <= char <= "\u17ff":
        return char in _KHMER_WORD
    return char.isalnum()


def normalise(text: str) -> str:
    """``text`` in the one form duplicates are compared in (see the module's notes)."""
    text = unicodedata.normalize("NFC", text.translate(INVISIBLE)).translate(DIGITS)
    text = _DROPPED.sub("", _MARK_RUN.sub(_canonical_marks, text.casefold()))
    # Other scripts' combining marks go too (pg_trgm would break words at them).
    kept = "".join(
        char if _word_character(char) else ("" if unicodedata.category(char)[0] == "M" else " ")
        for char in text
    )
    return " ".join(kept.split())


def trigrams(text: str) -> frozenset[str]:
    """``pg_trgm``'s trigrams of ``text`` (already normalised): per word, padded."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared trigrams over all trigrams of both, as ``pg_trgm`` computes it (0 when empty)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def similarity(a: str, b: str) -> float:
    """How alike two normalised texts are, from 0 (no trigram shared) to 1 (the same set)."""
    return jaccard(trigrams(a), trigrams(b))


def best(pairs: Iterable[tuple[str, str]]) -> float:
    """The highest similarity of several pairs of normalised texts (e.g. Khmer and English)."""
    return max((similarity(a, b) for a, b in pairs), default=0.0)
