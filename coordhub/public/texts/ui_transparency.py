"""The interface words of the transparency page: its introduction and method, the totals, the
charts and the tables under them."""

from __future__ import annotations

from coordhub.public.languages import Language

TRANSPARENCY: dict[str, dict[Language, str]] = {
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
}
