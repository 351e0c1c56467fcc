"""The interface words of the site's frame and its record pages: navigation, the latest
rebuttals, a rebuttal and its revisions, the institutions, the dismissed claims, the "about"
page, the missing page and the footer."""

from __future__ import annotations

from coordhub.public.languages import Language

PAGES: dict[str, dict[Language, str]] = {
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
    "about_title": {"en": "About this record", "km": "អំពីបញ្ជីនេះ"},
    "verdicts_title": {"en": "Verdicts", "km": "សេចក្តីសន្និដ្ឋាន"},
    "reasons_title": {
        "en": "Reasons for dismissing a claim",
        "km": "មូលហេតុនៃការលើកចោលការអះអាង",
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
