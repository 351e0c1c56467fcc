"""The names and definitions of the record's fixed terms, in Khmer and English: the verdicts
and the dismissal reasons (name, then what it means; shown on the "about" page and beside each
rebuttal or dismissal), and the kinds of institution.

A verdict's name is its ClaimReview label (``coordhub.connectors.formats.claimreview``), in
both languages, so the pages and the JSON-LD name a verdict alike.
"""

from __future__ import annotations

from coordhub.connectors.formats.claimreview import VERDICT_LABELS_KM, VERDICT_RATINGS
from coordhub.public.languages import Language

VERDICTS: dict[str, dict[Language, tuple[str, str]]] = {
    "FALSE": {
        "en": (VERDICT_RATINGS["FALSE"].label, "The claim is not true: the evidence shows it."),
        "km": (VERDICT_LABELS_KM["FALSE"], "ការអះអាងនេះមិនពិតទេ៖ ភស្តុតាងបង្ហាញដូច្នេះ។"),
    },
    "MISLEADING": {
        "en": (
            VERDICT_RATINGS["MISLEADING"].label,
            "The claim mixes true and false elements, or presents facts so that they give a "
            "false impression.",
        ),
        "km": (
            VERDICT_LABELS_KM["MISLEADING"],
            "ការអះអាងនេះលាយឡំការពិតជាមួយការមិនពិត ឬបង្ហាញការពិតតាមរបៀបដែលធ្វើឱ្យយល់ខុស។",
        ),
    },
    "MISSING_CONTEXT": {
        "en": (
            VERDICT_RATINGS["MISSING_CONTEXT"].label,
            "The details may be accurate, but context that changes their meaning is left out.",
        ),
        "km": (
            VERDICT_LABELS_KM["MISSING_CONTEXT"],
            "ព័ត៌មានលម្អិតអាចត្រឹមត្រូវ ប៉ុន្តែបរិបទដែលផ្លាស់ប្តូរអត្ថន័យរបស់វាត្រូវបានលុបចោល។",
        ),
    },
    "UNSUPPORTED": {
        "en": (
            VERDICT_RATINGS["UNSUPPORTED"].label,
            "No evidence supports the claim, and none was given by those who spread it.",
        ),
        "km": (
            VERDICT_LABELS_KM["UNSUPPORTED"],
            "គ្មានភស្តុតាងណាគាំទ្រការអះអាងនេះទេ ហើយអ្នកផ្សព្វផ្សាយក៏មិនបានផ្តល់ភស្តុតាងដែរ។",
        ),
    },
    "ACCURATE": {
        "en": (
            VERDICT_RATINGS["ACCURATE"].label,
            "The claim is true. This is published too, when a true report was taken for a "
            "false one.",
        ),
        "km": (
            VERDICT_LABELS_KM["ACCURATE"],
            "ការអះអាងនេះពិត។ ក្រុមការងារក៏ចុះផ្សាយដែរ នៅពេលដែលព័ត៌មានពិតត្រូវបានគេយល់ច្រឡំថាមិនពិត។",
        ),
    },
}

DISMISSAL_REASONS: dict[str, dict[Language, tuple[str, str]]] = {
    "ACCURATE": {
        "en": ("Accurate", "The claim is true: there is nothing to rebut."),
        "km": ("ត្រឹមត្រូវ", "ការអះអាងនេះពិត៖ គ្មានអ្វីត្រូវបកស្រាយទេ។"),
    },
    "NOT_NEWS": {
        "en": (
            "Not news",
            "Not a statement of fact on a matter of public concern: advertising, a private "
            "exchange, a question or a rumour about nobody's act. Opinion and satire have "
            "reasons of their own.",
        ),
        "km": (
            "មិនមែនជាព័ត៌មាន",
            "មិនមែនជាសេចក្តីថ្លែងអំពីការពិត លើបញ្ហាដែលសាធារណជនយកចិត្តទុកដាក់ទេ៖ ការផ្សាយពាណិជ្ជកម្ម "
            "ការសន្ទនាឯកជន សំណួរ ឬពាក្យចចាមអារ៉ាមដែលមិននិយាយអំពីទង្វើរបស់នរណាម្នាក់"
            "។ មតិ និងការលេងសើចបែបសំណព្វ មានមូលហេតុដោយឡែករបស់វា។",
        ),
    },
    "OPINION": {
        "en": (
            "Opinion",
            "A view, a judgement or a prediction, presented as such, not a statement of fact: "
            "it can be disagreed with, not refuted with evidence.",
        ),
        "km": (
            "មតិ",
            "ជាទស្សនៈ ការវាយតម្លៃ ឬការព្យាករណ៍ ដែលបង្ហាញថាជាមតិ មិនមែនជាសេចក្តីថ្លែងអំពីការពិតទេ៖ "
            "គេអាចមិនយល់ស្រប ប៉ុន្តែមិនអាចបដិសេធដោយភស្តុតាងបានទេ។",
        ),
    },
    "SATIRE": {
        "en": (
            "Satire",
            "Satire or parody that a reasonable reader recognises as such (it presents itself "
            "as satire, or its outlet does). Satire passed off as fact is news, and answered.",
        ),
        "km": (
            "ការលេងសើចបែបសំណព្វ",
            "ការលេងសើចបែបសំណព្វ ឬការត្រាប់តាមដែលអ្នកអានធម្មតាទទួលស្គាល់ថាជាការលេងសើច "
            "(វាបង្ហាញខ្លួនថាជាការលេងសើច ឬប្រព័ន្ធផ្សព្វផ្សាយរបស់វាបង្ហាញដូច្នេះ)។ "
            "ការលេងសើចដែលគេបន្លំថាជាការពិត គឺជាព័ត៌មាន ហើយត្រូវបានឆ្លើយតប។",
        ),
    },
    "NOT_VERIFIABLE": {
        "en": (
            "Not verifiable",
            "A statement of fact that no record can confirm or refute: it names no act, time "
            "or place that evidence could speak to, so a rebuttal would have nothing to show.",
        ),
        "km": (
            "មិនអាចផ្ទៀងផ្ទាត់បាន",
            "ជាសេចក្តីថ្លែងអំពីការពិតដែលគ្មានកំណត់ត្រាណាអាចបញ្ជាក់ ឬបដិសេធបាន៖ "
            "វាមិនបញ្ជាក់ទង្វើ ពេលវេលា ឬទីកន្លែងដែលភស្តុតាងអាចនិយាយដល់ "
            "ដូច្នេះការបកស្រាយគ្មានអ្វីត្រូវបង្ហាញទេ។",
        ),
    },
    "OUT_OF_SCOPE": {
        "en": (
            "Out of scope",
            "The claim does not concern a ministry or state institution of the working group.",
        ),
        "km": (
            "ក្រៅវិសាលភាព",
            "ការអះអាងនេះមិនទាក់ទងនឹងក្រសួង ឬស្ថាប័នរដ្ឋណាមួយក្នុងក្រុមការងារទេ។",
        ),
    },
    "INSUFFICIENT_REACH": {
        "en": (
            "Insufficient reach",
            "The claim has circulated so little that a public rebuttal would spread it "
            "further rather than correct it.",
        ),
        "km": (
            "ការរីករាលដាលតិចតួច",
            "ការអះអាងនេះរីករាលដាលតិចតួចពេក ការបកស្រាយជាសាធារណៈនឹងធ្វើឱ្យវារីករាលដាលថែមទៀត ជាជាងកែតម្រូវវា។",
        ),
    },
}

INSTITUTION_KINDS: dict[str, dict[Language, str]] = {
    "COORDINATOR": {"en": "Coordinator", "km": "ស្ថាប័នសម្របសម្រួល"},
    "MINISTRY": {"en": "Ministry", "km": "ក្រសួង"},
    "STATE_INSTITUTION": {"en": "State institution", "km": "ស្ថាប័នរដ្ឋ"},
}
