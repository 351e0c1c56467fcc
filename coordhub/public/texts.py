"""Every word the public pages and feeds print, in Khmer and English, and how they print dates.

One table per kind of text: the interface (``UI``), the verdicts and the dismissal reasons with
their definitions (shown on the "about" page and beside each rebuttal), the kinds of institution.
A test checks that every entry has both languages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from coordhub.connectors.formats.claimreview import VERDICT_LABELS_KM, VERDICT_RATINGS
from coordhub.public.languages import Language

#: Cambodia keeps UTC+7 all year; dates are shown in the readers' time.
LOCAL_TIME = timezone(timedelta(hours=7), "ICT")

UI: dict[str, dict[Language, str]] = {
    "site_title": {"en": "Working group rebuttals", "km": "ការបកស្រាយរបស់ក្រុមការងារ"},
    "tagline": {
        "en": "Rebuttals of false and misleading news about ministries and state institutions, "
        "with their evidence, corrections and retractions.",
        "km": "ការបកស្រាយព័ត៌មានមិនពិត និងព័ត៌មានបំភាន់ ទាក់ទងនឹងក្រសួង និងស្ថាប័នរដ្ឋ "
        "ព្រមទាំងភស្តុតាង ការកែតម្រូវ និងការដកហូតវិញ។",
    },
    "skip": {"en": "Skip to content", "km": "រំលងទៅខ្លឹមសារ"},
    "nav_latest": {"en": "Latest", "km": "ថ្មីៗ"},
    "nav_institutions": {"en": "Institutions", "km": "ស្ថាប័ន"},
    "nav_dismissed": {"en": "Dismissed claims", "km": "ការអះអាងដែលបានលើកចោល"},
    "nav_about": {"en": "About and method", "km": "អំពី និងវិធីសាស្ត្រ"},
    "other_language": {"en": "ភាសាខ្មែរ", "km": "English"},
    "latest_title": {"en": "Latest rebuttals", "km": "ការបកស្រាយថ្មីៗ"},
    "nothing_yet": {"en": "Nothing has been published yet.", "km": "មិនទាន់មានការចុះផ្សាយនៅឡើយទេ។"},
    "newer": {"en": "Newer", "km": "ថ្មីជាង"},
    "older": {"en": "Older", "km": "ចាស់ជាង"},
    "feed": {"en": "Atom feed", "km": "ព័ត៌មានតាម Atom"},
    "verdict_heading": {"en": "Verdict", "km": "សេចក្តីសន្និដ្ឋាន"},
    "the_claim": {"en": "The claim", "km": "ការអះអាង"},
    "where_it_appeared": {"en": "Where it appeared", "km": "កន្លែងដែលវាបានលេចឡើង"},
    "first_seen": {"en": "First seen", "km": "ឃើញដំបូង"},
    "evidence": {"en": "Evidence", "km": "ភស្តុតាង"},
    "no_evidence": {"en": "No sources listed.", "km": "គ្មានប្រភពបានរាយ។"},
    "by": {"en": "By", "km": "ដោយ"},
    "first_published": {"en": "First published", "km": "ចុះផ្សាយដំបូង"},
    "updated": {"en": "Updated", "km": "ធ្វើបច្ចុប្បន្នភាព"},
    "revision": {"en": "Revision {n}", "km": "កំណែទី {n}"},
    "current_revision": {"en": "current", "km": "កំណែបច្ចុប្បន្ន"},
    "revisions": {"en": "Revisions", "km": "កំណែ"},
    "revisions_intro": {
        "en": "Every published version of this rebuttal, newest first, with what changed.",
        "km": "កំណែទាំងអស់ដែលបានចុះផ្សាយនៃការបកស្រាយនេះ ចាប់ពីថ្មីបំផុត ព្រមទាំងអ្វីដែលបានផ្លាស់ប្តូរ។",
    },
    "first_publication": {"en": "First publication.", "km": "ការចុះផ្សាយលើកដំបូង។"},
    "changed_from": {
        "en": "What changed from revision {n}",
        "km": "អ្វីដែលបានផ្លាស់ប្តូរពីកំណែទី {n}",
    },
    "headline": {"en": "Headline", "km": "ចំណងជើង"},
    "text": {"en": "Text", "km": "អត្ថបទ"},
    "evidence_added": {"en": "Source added", "km": "ប្រភពបានបន្ថែម"},
    "evidence_removed": {"en": "Source removed", "km": "ប្រភពបានដកចេញ"},
    "unchanged": {
        "en": "Nothing changed in this language.",
        "km": "គ្មានអ្វីផ្លាស់ប្តូរក្នុងភាសានេះទេ។",
    },
    "read_as_published": {
        "en": "Read revision {n} as it was published",
        "km": "អានកំណែទី {n} ដូចដែលបានចុះផ្សាយ",
    },
    "corrected": {"en": "Corrected", "km": "បានកែតម្រូវ"},
    "retracted": {"en": "Retracted", "km": "បានដកហូតវិញ"},
    "retracted_banner": {
        "en": "This rebuttal has been retracted: it no longer stands.",
        "km": "ការបកស្រាយនេះត្រូវបានដកហូតវិញ៖ វាលែងមានសុពលភាពទៀតហើយ។",
    },
    "retracted_on": {"en": "Retracted on", "km": "ដកហូតវិញនៅ"},
    "reason": {"en": "Reason", "km": "មូលហេតុ"},
    "correction_note": {
        "en": "Corrected: revision {n} replaces revision {previous}.",
        "km": "បានកែតម្រូវ៖ កំណែទី {n} ជំនួសកំណែទី {previous}។",
    },
    "institutions_title": {
        "en": "Institutions of the working group",
        "km": "ស្ថាប័នក្នុងក្រុមការងារ",
    },
    "rebuttal_count": {"en": "{n} rebuttals", "km": "ការបកស្រាយ {n}"},
    "institution_rebuttals": {"en": "Rebuttals", "km": "ការបកស្រាយ"},
    "institution_dismissed": {
        "en": "Claims it led that were dismissed",
        "km": "ការអះអាងដែលស្ថាប័ននេះទទួលបន្ទុក ហើយបានលើកចោល",
    },
    "dismissed_title": {"en": "Dismissed claims", "km": "ការអះអាងដែលបានលើកចោល"},
    "dismissed_intro": {
        "en": "Claims reported to the working group that needed no rebuttal, each with its "
        "public reason.",
        "km": "ការអះអាងដែលបានរាយការណ៍មកក្រុមការងារ ប៉ុន្តែមិនចាំបាច់បកស្រាយ ព្រមទាំងមូលហេតុជាសាធារណៈ។",
    },
    "dismissed_on": {"en": "Dismissed on", "km": "លើកចោលនៅ"},
    "lead_institution": {"en": "Lead institution", "km": "ស្ថាប័នទទួលបន្ទុក"},
    "none_dismissed": {
        "en": "No claim has been dismissed.",
        "km": "មិនទាន់មានការអះអាងត្រូវបានលើកចោលទេ។",
    },
    "nav_transparency": {"en": "Transparency", "km": "តម្លាភាព"},
    "transparency_title": {"en": "Transparency statistics", "km": "ស្ថិតិតម្លាភាព"},
    "transparency_intro": {
        "en": "What the working group did with the claims reported to it, counted from the "
        "public record: claims once rebutted or dismissed, rebuttals once published. Nothing "
        "unpublished is counted.",
        "km": "អ្វីដែលក្រុមការងារបានធ្វើចំពោះការអះអាងដែលបានរាយការណ៍មក "
        "ដោយរាប់ពីបញ្ជីសាធារណៈ៖ ការអះអាងដែលបានបកស្រាយ ឬលើកចោល និងការបកស្រាយដែលបានចុះផ្សាយ។ "
        "គ្មានអ្វីដែលមិនទាន់ចុះផ្សាយត្រូវបានរាប់ទេ។",
    },
    "transparency_method": {
        "en": "Each claim counts once, in the month it was reported (Cambodia's time), under "
        "its lead institution; a duplicate merged into another claim counts as that claim. "
        "Times run from the report to the first published rebuttal. Corrections, retractions "
        "and correction requests count in the month they happened, under the rebuttal's "
        "institution. The same figures are in the GraphQL API's statistics query.",
        "km": "ការអះអាងនីមួយៗត្រូវបានរាប់ម្តង ក្នុងខែដែលបានរាយការណ៍ (ម៉ោងកម្ពុជា) "
        "ក្រោមស្ថាប័នទទួលបន្ទុករបស់វា ការអះអាងស្ទួនដែលបានបញ្ចូលទៅក្នុងការអះអាងមួយទៀត "
        "ត្រូវបានរាប់ជាការអះអាងនោះ។ រយៈពេលគិតពីការរាយការណ៍ ដល់ការបកស្រាយដំបូងដែលបានចុះផ្សាយ។ "
        "ការកែតម្រូវ ការដកហូតវិញ និងសំណើសុំការកែតម្រូវ ត្រូវបានរាប់ក្នុងខែដែលវាបានកើតឡើង "
        "ក្រោមស្ថាប័ននៃការបកស្រាយ។ តួលេខដូចគ្នានេះមាននៅក្នុងសំណួរ statistics នៃ GraphQL API។",
    },
    "no_figures": {
        "en": "Nothing has been published yet, so there is nothing to count.",
        "km": "មិនទាន់មានការចុះផ្សាយនៅឡើយទេ ដូច្នេះគ្មានអ្វីត្រូវរាប់ទេ។",
    },
    "totals_title": {"en": "In total", "km": "សរុប"},
    "stat_reported": {"en": "Claims reported", "km": "ការអះអាងដែលបានរាយការណ៍"},
    "stat_triaged": {"en": "Triaged to an institution", "km": "បានបញ្ជូនទៅស្ថាប័ន"},
    "stat_rebutted": {"en": "Rebutted", "km": "បានបកស្រាយ"},
    "stat_dismissed": {"en": "Dismissed", "km": "បានលើកចោល"},
    "stat_median": {
        "en": "Median time from report to rebuttal",
        "km": "រយៈពេលមធ្យមពីការរាយការណ៍ដល់ការបកស្រាយ",
    },
    "stat_p90": {
        "en": "Nine in ten rebutted within",
        "km": "ប្រាំបួនក្នុងចំណោមដប់ បានបកស្រាយក្នុងរយៈពេល",
    },
    "stat_within_due": {
        "en": "Rebutted by their due-by",
        "km": "បានបកស្រាយទាន់ពេលកំណត់",
    },
    "stat_corrections": {"en": "Corrections published", "km": "ការកែតម្រូវដែលបានចុះផ្សាយ"},
    "stat_retractions": {"en": "Rebuttals retracted", "km": "ការបកស្រាយដែលបានដកហូតវិញ"},
    "stat_requests": {
        "en": "Correction requests received",
        "km": "សំណើសុំការកែតម្រូវដែលបានទទួល",
    },
    "stat_requests_answered": {"en": "Answered", "km": "បានឆ្លើយតប"},
    "hours_value": {"en": "{n} h", "km": "{n} ម៉ោង"},
    "share_value": {"en": "{n}%", "km": "{n}%"},
    "no_value": {"en": "none", "km": "គ្មាន"},
    "median": {"en": "Median", "km": "មធ្យមភាគ"},
    "p90": {"en": "Nine in ten", "km": "ប្រាំបួនក្នុងដប់"},
    "month_heading": {"en": "Month", "km": "ខែ"},
    "institution": {"en": "Institution", "km": "ស្ថាប័ន"},
    "not_triaged": {"en": "Dismissed before triage", "km": "បានលើកចោលមុនការបញ្ជូន"},
    "chart_claims_title": {
        "en": "Claims per month, by the month they were reported",
        "km": "ការអះអាងប្រចាំខែ តាមខែដែលបានរាយការណ៍",
    },
    "chart_claims_desc": {
        "en": "Columns per month: claims reported, rebutted and dismissed.",
        "km": "ជួរឈរប្រចាំខែ៖ ការអះអាងដែលបានរាយការណ៍ បានបកស្រាយ និងបានលើកចោល។",
    },
    "chart_hours_title": {
        "en": "Hours from report to rebuttal, by the month reported",
        "km": "ចំនួនម៉ោងពីការរាយការណ៍ដល់ការបកស្រាយ តាមខែដែលបានរាយការណ៍",
    },
    "chart_hours_desc": {
        "en": "Columns per month: the median and the time within which nine in ten were rebutted.",
        "km": "ជួរឈរប្រចាំខែ៖ មធ្យមភាគ និងរយៈពេលដែលប្រាំបួនក្នុងដប់ត្រូវបានបកស្រាយ។",
    },
    "chart_institutions_title": {
        "en": "Claims per lead institution",
        "km": "ការអះអាងតាមស្ថាប័នទទួលបន្ទុក",
    },
    "chart_institutions_desc": {
        "en": "One bar per institution: its claims rebutted and dismissed.",
        "km": "របារមួយសម្រាប់ស្ថាប័ននីមួយៗ៖ ការអះអាងដែលបានបកស្រាយ និងបានលើកចោល។",
    },
    "by_month_title": {"en": "Month by month", "km": "ប្រចាំខែ"},
    "by_institution_title": {"en": "By institution", "km": "តាមស្ថាប័ន"},
    "by_reason_title": {"en": "Dismissals by reason", "km": "ការលើកចោលតាមមូលហេតុ"},
    "as_table": {"en": "The numbers as a table", "km": "តួលេខជាតារាង"},
    "about_title": {"en": "About this record", "km": "អំពីបញ្ជីនេះ"},
    "verdicts_title": {"en": "Verdicts", "km": "សេចក្តីសន្និដ្ឋាន"},
    "reasons_title": {
        "en": "Reasons for dismissing a claim",
        "km": "មូលហេតុនៃការលើកចោលការអះអាង",
    },
    "corrections_title": {"en": "Correction requests", "km": "សំណើសុំការកែតម្រូវ"},
    "corrections_intro": {
        "en": "Anyone may ask for this rebuttal to be corrected. Requests and the institution's "
        "answers are published here once answered. No account is needed and nothing about "
        "you is kept: do not include your name, phone number or e-mail address.",
        "km": "អ្នកណាក៏អាចស្នើសុំកែតម្រូវការបកស្រាយនេះបាន។ សំណើ និងចម្លើយរបស់ស្ថាប័ន "
        "ត្រូវបានចុះផ្សាយនៅទីនេះ នៅពេលបានឆ្លើយតប។ មិនត្រូវការគណនីទេ ហើយគ្មានព័ត៌មានអំពីអ្នកត្រូវបានរក្សាទុកឡើយ៖ "
        "សូមកុំដាក់ឈ្មោះ លេខទូរស័ព្ទ ឬអាសយដ្ឋានអ៊ីមែលរបស់អ្នក។",
    },
    "corrections_awaiting": {
        "en": "Requests awaiting an answer: {n}",
        "km": "សំណើកំពុងរង់ចាំចម្លើយ៖ {n}",
    },
    "corrections_none": {
        "en": "No correction request has been answered yet.",
        "km": "មិនទាន់មានសំណើសុំការកែតម្រូវណាមួយត្រូវបានឆ្លើយតបនៅឡើយទេ។",
    },
    "correction_text_label": {"en": "What is wrong, and why", "km": "អ្វីដែលខុស និងមូលហេតុ"},
    "correction_source_label": {
        "en": "A source that shows it (optional address)",
        "km": "ប្រភពដែលបង្ហាញអំពីវា (អាសយដ្ឋាន មិនចាំបាច់)",
    },
    "correction_submit": {"en": "Send the request", "km": "ផ្ញើសំណើ"},
    "correction_asked": {"en": "Request", "km": "សំណើ"},
    "correction_answer": {"en": "Answer", "km": "ចម្លើយ"},
    "correction_about_revision": {
        "en": "about revision {n}",
        "km": "អំពីកំណែទី {n}",
    },
    "outcome_CORRECTED": {
        "en": "Corrected: a new revision was published",
        "km": "បានកែតម្រូវ៖ កំណែថ្មីត្រូវបានចុះផ្សាយ",
    },
    "outcome_UPHELD": {
        "en": "Upheld: the rebuttal stands",
        "km": "រក្សាទុក៖ ការបកស្រាយនៅតែមានសុពលភាព",
    },
    "correction_sent_title": {"en": "Request received", "km": "បានទទួលសំណើ"},
    "correction_sent_text": {
        "en": "Thank you. Your request (number {n}) was sent to the institution that published "
        "the rebuttal. It will appear on the rebuttal's page with the answer once answered.",
        "km": "សូមអរគុណ។ សំណើរបស់អ្នក (លេខ {n}) ត្រូវបានផ្ញើទៅស្ថាប័នដែលបានចុះផ្សាយការបកស្រាយ។ "
        "វានឹងលេចឡើងនៅលើទំព័រការបកស្រាយ ជាមួយចម្លើយ នៅពេលបានឆ្លើយតប។",
    },
    "back_to_rebuttal": {"en": "Back to the rebuttal", "km": "ត្រឡប់ទៅការបកស្រាយ"},
    "correction_error_title": {
        "en": "The request was not sent",
        "km": "សំណើមិនត្រូវបានផ្ញើទេ",
    },
    "correction_error_text": {
        "en": "Say what is wrong in 10 to 2,000 characters, without phone numbers or e-mail "
        "addresses.",
        "km": "សូមសរសេរអ្វីដែលខុស ចន្លោះពី ១០ ដល់ ២០០០ តួអក្សរ ដោយគ្មានលេខទូរស័ព្ទ ឬអាសយដ្ឋានអ៊ីមែល។",
    },
    "correction_error_sourceUrl": {
        "en": "Give the full address of a source, starting with https:// (or leave it empty).",
        "km": "សូមផ្តល់អាសយដ្ឋានពេញលេញនៃប្រភព ដែលចាប់ផ្តើមដោយ https:// (ឬទុកឱ្យនៅទទេ)។",
    },
    "correction_error_rebuttalId": {
        "en": "This rebuttal has many requests awaiting an answer: try again in a few days.",
        "km": "ការបកស្រាយនេះមានសំណើជាច្រើនកំពុងរង់ចាំចម្លើយ៖ សូមព្យាយាមម្តងទៀតក្នុងរយៈពេលពីរបីថ្ងៃ។",
    },
    "correction_error_retracted": {
        "en": "This rebuttal was retracted: it no longer stands, so there is nothing to correct.",
        "km": "ការបកស្រាយនេះត្រូវបានដកហូតវិញ៖ វាលែងមានសុពលភាពទៀតហើយ ដូច្នេះគ្មានអ្វីត្រូវកែតម្រូវទេ។",
    },
    "correction_cross_site": {
        "en": "This form can only be sent from this site's own pages.",
        "km": "ទម្រង់នេះអាចផ្ញើបានតែពីទំព័ររបស់គេហទំព័រនេះប៉ុណ្ណោះ។",
    },
    "correction_too_many": {
        "en": "Too many requests from your address: try again in {n} minutes.",
        "km": "សំណើច្រើនពេកពីអាសយដ្ឋានរបស់អ្នក៖ សូមព្យាយាមម្តងទៀតក្នុងរយៈពេល {n} នាទី។",
    },
    "not_found_title": {"en": "Page not found", "km": "រកមិនឃើញទំព័រ"},
    "not_found_text": {
        "en": "There is no public page at this address.",
        "km": "គ្មានទំព័រសាធារណៈនៅអាសយដ្ឋាននេះទេ។",
    },
    "footer": {
        "en": "Published by the inter-ministerial working group, coordinated by the Ministry of "
        "Information. Every rebuttal, correction, retraction and dismissal is public and "
        "versioned.",
        "km": "ចុះផ្សាយដោយក្រុមការងារអន្តរក្រសួង ដែលសម្របសម្រួលដោយក្រសួងព័ត៌មាន។ "
        "រាល់ការបកស្រាយ ការកែតម្រូវ ការដកហូតវិញ និងការលើកចោល គឺជាសាធារណៈ "
        "ហើយរក្សាទុកគ្រប់កំណែ។",
    },
}

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

_MONTHS: dict[Language, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "km": (
        "មករា",
        "កុម្ភៈ",
        "មីនា",
        "មេសា",
        "ឧសភា",
        "មិថុនា",
        "កក្កដា",
        "សីហា",
        "កញ្ញា",
        "តុលា",
        "វិច្ឆិកា",
        "ធ្នូ",
    ),
}
_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


class Strings:
    """The interface texts in one language, for templates: ``ui.key`` or ``ui("key", n=2)``."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __getattr__(self, key: str) -> str:
        try:
            return UI[key][self.language]
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str, **values: Any) -> str:
        formatted = {name: self.number(value) for name, value in values.items()}
        return UI[key][self.language].format(**formatted)

    def number(self, value: Any) -> str:
        """A number in the language's digits (Khmer digits in Khmer)."""
        text = str(value)
        return text.translate(_KHMER_DIGITS) if self.language == "km" else text

    def verdict_name(self, verdict: str) -> str:
        return VERDICTS[verdict][self.language][0]

    def verdict_meaning(self, verdict: str) -> str:
        return VERDICTS[verdict][self.language][1]

    def reason_name(self, reason: str) -> str:
        return DISMISSAL_REASONS[reason][self.language][0]

    def reason_meaning(self, reason: str) -> str:
        return DISMISSAL_REASONS[reason][self.language][1]

    def kind_name(self, kind: str) -> str:
        return INSTITUTION_KINDS[kind][self.language]

    def month(self, month: str) -> str:
        """``YYYY-MM`` as ``11/2026`` (Khmer digits in Khmer), short enough for a chart axis."""
        return self.number(f"{int(month[5:7])}/{month[:4]}")

    def hours(self, value: float | None) -> str:
        """Hours to one decimal, ``12.5 h``; "none" for no value."""
        if value is None:
            return UI["no_value"][self.language]
        return self("hours_value", n=f"{value:.1f}".removesuffix(".0"))

    def share(self, value: float | None) -> str:
        """A share (0 to 1) as a whole percentage; "none" for no value."""
        if value is None:
            return UI["no_value"][self.language]
        return self("share_value", n=round(value * 100))

    def date(self, value: datetime) -> str:
        """A day and time in Cambodia's time: ``20 November 2026, 15:00`` / Khmer the same."""
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LOCAL_TIME)
        month = _MONTHS[self.language][local.month - 1]
        if self.language == "km":
            return self.number(f"{local.day} {month} {local.year} ម៉ោង {local:%H:%M}")
        return f"{local.day} {month} {local.year}, {local:%H:%M} (UTC+7)"
