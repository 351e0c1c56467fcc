"""The interface words of correction requests: the section under each rebuttal, the form, its
answers, and the pages after sending (received, or refused and why)."""

from __future__ import annotations

from coordhub.public.languages import Language

CORRECTIONS: dict[str, dict[Language, str]] = {
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
}
