"""The text and reference data ``bench.reads_seed`` draws its claims from.

Institutions (the real ministries and state institutions, bilingual), fragments that summaries,
headlines and bodies are assembled from, and the phrases the search operations look for.
"""

from __future__ import annotations

import unicodedata

from coordhub.models import DismissalReason, InstitutionKind, Priority, Verdict

#: The phrase the text search looks for ("fake vaccine"), in about 1% of claim summaries.
KHMER_PHRASE = "វ៉ាក់សាំងក្លែងក្លាយ"
PHRASE_SHARE = 0.01

INSTITUTIONS: list[tuple[str, str, str, InstitutionKind]] = [
    ("moi", "ក្រសួងព័ត៌មាន", "Ministry of Information", InstitutionKind.COORDINATOR),
    ("health", "ក្រសួងសុខាភិបាល", "Ministry of Health", InstitutionKind.MINISTRY),
    (
        "education",
        "ក្រសួងអប់រំ យុវជន និងកីឡា",
        "Ministry of Education, Youth and Sport",
        InstitutionKind.MINISTRY,
    ),
    ("interior", "ក្រសួងមហាផ្ទៃ", "Ministry of Interior", InstitutionKind.MINISTRY),
    ("defence", "ក្រសួងការពារជាតិ", "Ministry of National Defence", InstitutionKind.MINISTRY),
    (
        "foreign-affairs",
        "ក្រសួងការបរទេស និងសហប្រតិបត្តិការអន្តរជាតិ",
        "Ministry of Foreign Affairs and International Cooperation",
        InstitutionKind.MINISTRY,
    ),
    (
        "economy",
        "ក្រសួងសេដ្ឋកិច្ច និងហិរញ្ញវត្ថុ",
        "Ministry of Economy and Finance",
        InstitutionKind.MINISTRY,
    ),
    (
        "agriculture",
        "ក្រសួងកសិកម្ម រុក្ខាប្រមាញ់ និងនេសាទ",
        "Ministry of Agriculture, Forestry and Fisheries",
        InstitutionKind.MINISTRY,
    ),
    ("commerce", "ក្រសួងពាណិជ្ជកម្ម", "Ministry of Commerce", InstitutionKind.MINISTRY),
    ("environment", "ក្រសួងបរិស្ថាន", "Ministry of Environment", InstitutionKind.MINISTRY),
    ("justice", "ក្រសួងយុត្តិធម៌", "Ministry of Justice", InstitutionKind.MINISTRY),
    (
        "labour",
        "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ",
        "Ministry of Labour and Vocational Training",
        InstitutionKind.MINISTRY,
    ),
    ("tourism", "ក្រសួងទេសចរណ៍", "Ministry of Tourism", InstitutionKind.MINISTRY),
    (
        "public-works",
        "ក្រសួងសាធារណការ និងដឹកជញ្ជូន",
        "Ministry of Public Works and Transport",
        InstitutionKind.MINISTRY,
    ),
    (
        "post-telecom",
        "ក្រសួងប្រៃសណីយ៍ និងទូរគមនាគមន៍",
        "Ministry of Post and Telecommunications",
        InstitutionKind.MINISTRY,
    ),
    ("mines-energy", "ក្រសួងរ៉ែ និងថាមពល", "Ministry of Mines and Energy", InstitutionKind.MINISTRY),
    (
        "water",
        "ក្រសួងធនធានទឹក និងឧតុនិយម",
        "Ministry of Water Resources and Meteorology",
        InstitutionKind.MINISTRY,
    ),
    (
        "rural-development",
        "ក្រសួងអភិវឌ្ឍន៍ជនបទ",
        "Ministry of Rural Development",
        InstitutionKind.MINISTRY,
    ),
    (
        "culture",
        "ក្រសួងវប្បធម៌ និងវិចិត្រសិល្បៈ",
        "Ministry of Culture and Fine Arts",
        InstitutionKind.MINISTRY,
    ),
    ("womens-affairs", "ក្រសួងកិច្ចការនារី", "Ministry of Women's Affairs", InstitutionKind.MINISTRY),
    (
        "social-affairs",
        "ក្រសួងសង្គមកិច្ច អតីតយុទ្ធជន និងយុវនីតិសម្បទា",
        "Ministry of Social Affairs, Veterans and Youth Rehabilitation",
        InstitutionKind.MINISTRY,
    ),
    ("planning", "ក្រសួងផែនការ", "Ministry of Planning", InstitutionKind.MINISTRY),
    (
        "industry",
        "ក្រសួងឧស្សាហកម្ម វិទ្យាសាស្ត្រ បច្ចេកវិទ្យា និងនវានុវត្តន៍",
        "Ministry of Industry, Science, Technology and Innovation",
        InstitutionKind.MINISTRY,
    ),
    (
        "land",
        "ក្រសួងរៀបចំដែនដី នគរូបនីយកម្ម និងសំណង់",
        "Ministry of Land Management, Urban Planning and Construction",
        InstitutionKind.MINISTRY,
    ),
    (
        "cults-religion",
        "ក្រសួងធម្មការ និងសាសនា",
        "Ministry of Cults and Religion",
        InstitutionKind.MINISTRY,
    ),
    ("civil-service", "ក្រសួងមុខងារសាធារណៈ", "Ministry of Civil Service", InstitutionKind.MINISTRY),
    (
        "national-bank",
        "ធនាគារជាតិនៃកម្ពុជា",
        "National Bank of Cambodia",
        InstitutionKind.STATE_INSTITUTION,
    ),
    (
        "nec",
        "គណៈកម្មាធិការជាតិរៀបចំការបោះឆ្នោត",
        "National Election Committee",
        InstitutionKind.STATE_INSTITUTION,
    ),
    (
        "police",
        "អគ្គស្នងការដ្ឋាននគរបាលជាតិ",
        "General Commissariat of National Police",
        InstitutionKind.STATE_INSTITUTION,
    ),
    (
        "ncdm",
        "គណៈកម្មាធិការជាតិគ្រប់គ្រងគ្រោះមហន្តរាយ",
        "National Committee for Disaster Management",
        InstitutionKind.STATE_INSTITUTION,
    ),
]

#: (Khmer, English) fragments that summaries, headlines and bodies are assembled from.
SUBJECTS = [
    ("ទឹកក្រូចឆ្មាលាយអំបិល", "lime juice with salt"),
    ("ថ្នាំបុរាណពីភូមិមួយ", "a village herbal remedy"),
    ("ក្រដាសប្រាក់រៀលថ្មី", "the new riel banknotes"),
    ("ការចុះឈ្មោះបោះឆ្នោត", "voter registration"),
    ("ទឹកជំនន់ទន្លេមេគង្គ", "the Mekong floods"),
    ("តម្លៃអង្ករ", "the price of rice"),
    ("សាលារៀនរដ្ឋ", "public schools"),
    ("ស្ពានព្រែកតាម៉ាក់", "the Prek Tamak bridge"),
    ("អគ្គិសនីកម្ពុជា", "the national power grid"),
    ("ទឹកស្អាតក្នុងក្រុង", "city tap water"),
    ("ប័ណ្ណសមធម៌", "the equity card"),
    ("ពន្ធលើម៉ូតូ", "the motorbike tax"),
    ("សៀវភៅសិក្សាថ្មី", "the new textbooks"),
    ("ជំងឺគ្រុនឈាម", "dengue fever"),
    ("ត្រីពីបឹងទន្លេសាប", "fish from the Tonle Sap"),
    ("ប្រព័ន្ធ៥ជី", "the 5G network"),
    ("កម្មករនៅបរទេស", "workers abroad"),
    ("ប្រាសាទអង្គរវត្ត", "Angkor Wat"),
    ("ផ្លូវជាតិលេខ៤", "National Road 4"),
    ("ធនាគារឯកជន", "private banks"),
]
PREDICATES = [
    ("អាចព្យាបាលជំងឺមហារីកបាន", "cures cancer"),
    ("នឹងត្រូវបិទនៅសប្តាហ៍ក្រោយ", "will be shut down next week"),
    ("ត្រូវបានហាមឃាត់ទាំងស្រុង", "has been banned outright"),
    ("បង្កគ្រោះថ្នាក់ដល់កុមារ", "harms children"),
    ("នឹងឡើងថ្លៃទ្វេដង", "will double in price"),
    ("ត្រូវបានលក់ឱ្យក្រុមហ៊ុនបរទេស", "was sold to a foreign company"),
    ("មានសារធាតុពុល", "contains poison"),
    ("នឹងត្រូវលុបចោលពីថ្ងៃស្អែក", "will be abolished from tomorrow"),
    ("បណ្តាលឱ្យមានការផ្ទុះជំងឺ", "caused an outbreak"),
    ("ត្រូវបានបំពុលដោយរោងចក្រ", "was polluted by a factory"),
    ("នឹងត្រូវគិតថ្លៃសេវាថ្មី", "will carry a new fee"),
    ("មិនមានសុពលភាពទៀតទេ", "is no longer valid"),
    ("ត្រូវបានរំលោភទិន្នន័យ", "suffered a data breach"),
    ("នឹងបាក់ក្នុងរដូវវស្សា", "will collapse in the rainy season"),
    ("ត្រូវបានលួចចម្លង", "was counterfeited"),
]
PLACES = [
    ("នៅរាជធានីភ្នំពេញ", "in Phnom Penh"),
    ("នៅខេត្តសៀមរាប", "in Siem Reap"),
    ("នៅខេត្តបាត់ដំបង", "in Battambang"),
    ("នៅខេត្តកំពត", "in Kampot"),
    ("នៅខេត្តព្រះសីហនុ", "in Preah Sihanouk"),
    ("នៅខេត្តកំពង់ចាម", "in Kampong Cham"),
    ("នៅខេត្តតាកែវ", "in Takeo"),
    ("នៅខេត្តរតនគិរី", "in Ratanakiri"),
    ("នៅខេត្តស្វាយរៀង", "in Svay Rieng"),
    ("នៅខេត្តកោះកុង", "in Koh Kong"),
    ("ទូទាំងប្រទេស", "nationwide"),
    ("នៅតាមព្រំដែន", "along the border"),
]
OPENERS = [
    ("មានការអះអាងថា", "Posts claim that"),
    ("វីដេអូមួយបង្ហាញថា", "A video says"),
    ("សារដែលកំពុងចែកចាយថា", "A forwarded message says"),
    ("គណនីក្លែងក្លាយមួយសរសេរថា", "A fake account writes that"),
    ("", "It is said that"),
]
BODY_SENTENCES = [
    (
        "ក្រសួងបានពិនិត្យឯកសារ និងទិន្នន័យផ្លូវការទាំងអស់ ហើយមិនឃើញភស្តុតាងណាមួយគាំទ្រការអះអាងនេះទេ។",
        "The ministry reviewed every official record and found no evidence supporting this claim.",
    ),
    (
        "រូបភាពដែលកំពុងចែកចាយត្រូវបានថតនៅឆ្នាំ២០១៩ នៅប្រទេសផ្សេង។",
        "The pictures being shared were taken in 2019, in another country.",
    ),
    (
        "អ្នកជំនាញផ្នែកសុខាភិបាលបញ្ជាក់ថា គ្មានការសិក្សាវិទ្យាសាស្ត្រណាមួយគាំទ្រការអះអាងនេះទេ។",
        "Health experts confirm that no scientific study supports it.",
    ),
    (
        "សូមប្រជាពលរដ្ឋពិនិត្យប្រភពព័ត៌មានមុនពេលចែករំលែក។",
        "Citizens are asked to check the source before sharing.",
    ),
    (
        "សេចក្តីប្រកាសផ្លូវការត្រូវបានចុះផ្សាយនៅលើគេហទំព័ររបស់ក្រសួង។",
        "The official announcement is published on the ministry's website.",
    ),
    (
        "តួលេខដែលបានលើកឡើងមិនត្រូវគ្នានឹងស្ថិតិជាតិទេ។",
        "The figures quoted do not match the national statistics.",
    ),
    (
        "ក្រសួងនឹងបន្តតាមដាន និងផ្តល់ព័ត៌មានបន្ថែមនៅពេលចាំបាច់។",
        "The ministry will keep monitoring and will say more if needed.",
    ),
    (
        "សេវាកម្មនេះនៅតែដំណើរការធម្មតា និងមិនគិតថ្លៃបន្ថែមទេ។",
        "The service runs as usual, at no extra charge.",
    ),
]
OUTLETS = ["Facebook", "TikTok", "Telegram", "YouTube", "X", "a news site"]
EVIDENCE_SOURCES = [
    ("who.int", "World Health Organization fact sheet"),
    ("moh.gov.kh", "Ministry of Health announcement"),
    ("nis.gov.kh", "National Institute of Statistics data"),
    ("akp.gov.kh", "AKP report"),
    ("nbc.gov.kh", "National Bank of Cambodia notice"),
    ("mekong.example", "Mekong River Commission bulletin"),
]
DISMISSAL_NOTES = {
    DismissalReason.ACCURATE: ("ព័ត៌មាននេះត្រឹមត្រូវ។", "This information is accurate."),
    DismissalReason.NOT_NEWS: ("នេះជាការបញ្ចេញមតិ មិនមែនព័ត៌មានទេ។", "This is opinion, not news."),
    DismissalReason.OPINION: ("នេះជាមតិយោបល់ មិនមែនជាការពិតទេ។", "A view, not a fact."),
    DismissalReason.SATIRE: ("នេះជាអត្ថបទកំប្លែងចំអក។", "A satirical piece."),
    DismissalReason.NOT_VERIFIABLE: ("មិនអាចផ្ទៀងផ្ទាត់បាន។", "It cannot be checked."),
    DismissalReason.OUT_OF_SCOPE: ("ក្រៅវិសាលភាពរបស់ក្រុមការងារ។", "Outside the group's remit."),
    DismissalReason.INSUFFICIENT_REACH: ("ការចែកចាយមានកម្រិតតិចតួច។", "It barely circulated."),
}
SLA_HOURS = {Priority.CRITICAL: 4, Priority.HIGH: 24, Priority.NORMAL: 72, Priority.LOW: 168}
VERDICTS = (
    [Verdict.FALSE] * 5
    + [Verdict.MISLEADING] * 3
    + [
        Verdict.MISSING_CONTEXT,
        Verdict.UNSUPPORTED,
    ]
)
CHANNELS: list[list[str]] = [["akp"], ["akp", "tvk"], [], ["ministry-app"]]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


#: A rarer needle for ``search-rare``: the phrase followed by one subject (about 0.05% of
#: claims, half of them public), so that a plain scan must read thousands of rows per match.
KHMER_RARE_PHRASE = KHMER_PHRASE + SUBJECTS[7][0]
