"""How bench/duplicates.jsonl was made: ``python -m bench.duplicates_pairs`` writes it again.

Claims typed by hand (25 Khmer, 25 English, each with a claim on the same topic that is not a
duplicate), and for each: variants that are duplicates (zero-width spaces, Khmer or Arabic
digits, the coeng order, words added, the end dropped, the phrase reordered; in English also
case and punctuation, synonyms), and pairs that are not (the same-topic claim, another claim,
two other claims), plus hand-written pairs in the same frame with another subject, place or
fact. ``kind`` says which each pair is.
"""

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("duplicates.jsonl")

rng = random.Random(14)
ZW = "\u200b"
KD = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

# Khmer claims: (text, same-topic non-duplicate)
KM = [
    ("ពាក្យចចាមអារ៉ាមថាវ៉ាក់សាំងបង្កឱ្យមានភាពគ្មានកូន", "ក្រសួងសុខាភិបាលនឹងចាក់វ៉ាក់សាំងដល់កុមារនៅខែក្រោយ"),
    ("សាលារៀនទាំងអស់នឹងបិទរយៈពេល ៣ សប្តាហ៍ចាប់ពីថ្ងៃច័ន្ទ", "ក្រសួងអប់រំបើកការប្រឡងបាក់ឌុបនៅខែធ្នូ"),
    ("រដ្ឋាភិបាលនឹងដំឡើងតម្លៃប្រេងសាំង ២០ ភាគរយនៅសប្តាហ៍ក្រោយ", "តម្លៃអគ្គិសនីនឹងនៅដដែលរហូតដល់ចុងឆ្នាំ"),
    ("ទឹកម៉ាស៊ីនក្នុងរាជធានីភ្នំពេញមានជាតិពុល", "រាជធានីភ្នំពេញនឹងផ្អាកការផ្គត់ផ្គង់ទឹកនៅថ្ងៃអាទិត្យ"),
    ("ស្ត្រីម្នាក់ស្លាប់ក្រោយចាក់វ៉ាក់សាំងនៅខេត្តកំពត", "ស្ត្រីមានផ្ទៃពោះអាចទទួលការពិនិត្យដោយឥតគិតថ្លៃនៅមន្ទីរពេទ្យខេត្ត"),
    ("ក្រសួងមហាផ្ទៃហាមឃាត់ការប្រើប្រាស់ម៉ូតូកង់បីចាប់ពីខែមករា", "ក្រសួងមហាផ្ទៃណែនាំឱ្យពាក់មួកសុវត្ថិភាពពេលជិះម៉ូតូ"),
    (
        "ធនាគារជាតិនឹងបោះពុម្ពក្រដាសប្រាក់ថ្មី ១០០០០០ រៀល ហើយលុបចោលក្រដាសចាស់",
        "ធនាគារជាតិរក្សាអត្រាប្តូរប្រាក់រៀលឱ្យមានស្ថិរភាព",
    ),
    ("ជំងឺគ្រុនឈាមបានសម្លាប់កុមារជាង ៥០០ នាក់នៅខែនេះ", "ក្រសួងសុខាភិបាលណែនាំវិធីការពារមូសខ្លាដំបៅ"),
    (
        "ការប្រឡងសញ្ញាបត្រមធ្យមសិក្សាទុតិយភូមិត្រូវបានលុបចោលឆ្នាំនេះ",
        "លទ្ធផលការប្រឡងសញ្ញាបត្រមធ្យមសិក្សាទុតិយភូមិនឹងប្រកាសនៅខែក្រោយ",
    ),
    ("អង្ករពីប្រទេសជិតខាងមានសារធាតុប្លាស្ទិក", "កសិករដាំស្រូវនឹងទទួលបានពូជស្រូវថ្មីពីក្រសួងកសិកម្ម"),
    ("ស្ពានអាកាសនៅផ្សារដើមថ្កូវនឹងរលំក្នុងពេលឆាប់ៗ", "ការសាងសង់ស្ពានថ្មីឆ្លងទន្លេមេគង្គនឹងចាប់ផ្តើមឆ្នាំក្រោយ"),
    ("មន្ត្រីរាជការនឹងមិនទទួលបានប្រាក់ខែខែធ្នូនេះទេ", "មន្ត្រីរាជការនឹងទទួលបានប្រាក់រង្វាន់ចូលឆ្នាំខ្មែរ"),
    ("រលកយក្សស៊ូណាមិនឹងវាយប្រហារខេត្តព្រះសីហនុនៅយប់នេះ", "ខេត្តព្រះសីហនុត្រៀមទទួលភ្ញៀវទេសចរសម្រាប់បុណ្យចូលឆ្នាំ"),
    ("ថ្នាំបុរាណពីរុក្ខជាតិអាចព្យាបាលជំងឺមហារីកបានទាំងស្រុង", "មន្ទីរពេទ្យកាល់ម៉ែតបើកផ្នែកព្យាបាលជំងឺមហារីកថ្មី"),
    ("ប្រព័ន្ធអ៊ីនធឺណិតទូទាំងប្រទេសនឹងត្រូវបិទរយៈពេល ២ ថ្ងៃ", "ក្រសួងប្រៃសណីយ៍ពង្រីកបណ្តាញអ៊ីនធឺណិតទៅតំបន់ជនបទ"),
    ("ការបោះឆ្នោតឃុំសង្កាត់ត្រូវបានពន្យារពេលទៅឆ្នាំក្រោយ", "គណៈកម្មាធិការជាតិរៀបចំការបោះឆ្នោតចុះបញ្ជីអ្នកបោះឆ្នោតថ្មី"),
    ("ទឹកជំនន់នឹងលិចទីក្រុងភ្នំពេញទាំងមូលនៅខែតុលា", "ក្រសួងធនធានទឹកព្រមានពីភ្លៀងធ្លាក់ខ្លាំងនៅខេត្តភាគខាងជើង"),
    ("ឈាមជ្រូកនាំចូលមានមេរោគប៉េស្តជ្រូកអាហ្វ្រិក", "តម្លៃសាច់ជ្រូកនៅផ្សារក្នុងស្រុកបានធ្លាក់ចុះ"),
    ("គ្រូបង្រៀនទាំងអស់ត្រូវប្រឡងឡើងវិញបើមិនដូច្នេះនឹងត្រូវបណ្តេញចេញ", "គ្រូបង្រៀនថ្មី ៣០០០ នាក់នឹងត្រូវបានជ្រើសរើសឆ្នាំនេះ"),
    ("ទូរស័ព្ទ 5G បង្កឱ្យមានជំងឺកូវីដ", "ក្រុមហ៊ុនទូរស័ព្ទដាក់ឱ្យដំណើរការបណ្តាញ 5G នៅរាជធានី"),
    ("ប៉ូលិសចរាចរនឹងពិន័យអ្នកបើកបរ ១ លានរៀលសម្រាប់ការប្រើទូរស័ព្ទ", "ប៉ូលិសចរាចរបើកយុទ្ធនាការសុវត្ថិភាពផ្លូវគោកនៅបុណ្យភ្ជុំ"),
    ("ព្រលានយន្តហោះអន្តរជាតិភ្នំពេញនឹងបិទទ្វារជាអចិន្ត្រៃយ៍", "ព្រលានយន្តហោះថ្មីនៅខេត្តកណ្តាលនឹងបើកដំណើរការឆ្នាំក្រោយ"),
    ("ក្រុមហ៊ុនចិនបានទិញដីកោះកុងទាំងមូល", "ខេត្តកោះកុងជំរុញទេសចរណ៍ធម្មជាតិនៅតំបន់ភ្នំក្រវាញ"),
    ("សាច់មាន់ក្នុងផ្សារមានផ្ទុកមេរោគផ្តាសាយបក្សី", "ក្រសួងកសិកម្មណែនាំកសិករឱ្យចាក់វ៉ាក់សាំងដល់មាន់"),
    ("រាជរដ្ឋាភិបាលនឹងដកហូតអត្តសញ្ញាណប័ណ្ណអ្នកមិនបង់ពន្ធ", "អគ្គនាយកដ្ឋានពន្ធដារពន្យារពេលបង់ពន្ធលើអចលនទ្រព្យ"),
]
EN = [
    (
        "Rumour that a vaccine causes infertility in young women",
        "The Ministry of Health will vaccinate children against measles next month",
    ),
    (
        "All schools will close for three weeks starting Monday",
        "The Ministry of Education opens registration for the national exam in December",
    ),
    (
        "The government will raise fuel prices by 20 percent next week",
        "Electricity prices will stay unchanged until the end of the year",
    ),
    (
        "Tap water in Phnom Penh is poisoned",
        "Phnom Penh will suspend water supply on Sunday for pipe repairs",
    ),
    (
        "A woman died after receiving a vaccine in Kampot province",
        "Pregnant women can get free check-ups at provincial hospitals",
    ),
    (
        "The Ministry of Interior bans tuk-tuks from January",
        "The Ministry of Interior urges riders to wear helmets",
    ),
    (
        "The National Bank will print a new 100,000 riel note and cancel old notes",
        "The National Bank keeps the riel exchange rate stable",
    ),
    (
        "Dengue fever has killed more than 500 children this month",
        "The Ministry of Health explains how to prevent mosquito bites",
    ),
    (
        "The high school diploma exam has been cancelled this year",
        "High school diploma exam results will be announced next month",
    ),
    (
        "Rice imported from a neighbouring country contains plastic",
        "Farmers will receive new rice seeds from the Ministry of Agriculture",
    ),
    (
        "The overpass at Doeum Thkov market is about to collapse",
        "Construction of a new Mekong bridge will start next year",
    ),
    (
        "Civil servants will not be paid their December salary",
        "Civil servants will receive a bonus for Khmer New Year",
    ),
    (
        "A tsunami will hit Preah Sihanouk province tonight",
        "Preah Sihanouk prepares to welcome tourists for the New Year holiday",
    ),
    (
        "A traditional herbal medicine completely cures cancer",
        "Calmette hospital opens a new cancer treatment ward",
    ),
    (
        "The internet will be shut down nationwide for two days",
        "The telecom ministry extends internet coverage to rural areas",
    ),
    (
        "Commune elections have been postponed to next year",
        "The election committee opens voter registration",
    ),
    (
        "Floods will submerge the whole of Phnom Penh in October",
        "The water resources ministry warns of heavy rain in the north",
    ),
    ("Imported pork carries African swine fever", "Pork prices at local markets have fallen"),
    (
        "All teachers must retake exams or be dismissed",
        "3,000 new teachers will be recruited this year",
    ),
    ("5G phones cause COVID-19", "Mobile operators launch 5G networks in the capital"),
    (
        "Traffic police will fine drivers one million riel for using a phone",
        "Traffic police start a road safety campaign for Pchum Ben",
    ),
    (
        "Phnom Penh international airport will close permanently",
        "The new airport in Kandal province will open next year",
    ),
    (
        "A Chinese company has bought all of Koh Kong",
        "Koh Kong promotes ecotourism in the Cardamom mountains",
    ),
    (
        "Chicken sold in markets carries bird flu",
        "The agriculture ministry urges farmers to vaccinate chickens",
    ),
    (
        "The government will confiscate ID cards of people who do not pay taxes",
        "The tax department extends the deadline for property tax",
    ),
]
EN_SYN = {
    "will": "is going to",
    "all": "every",
    "children": "kids",
    "died": "passed away",
    "bans": "will ban",
    "nationwide": "across the country",
}
EN_ADD = ["BREAKING: ", "Shared widely: ", "Viral post claims ", "Please share! "]
KM_ADD = ["ព័ត៌មានបន្ទាន់៖ ", "សូមចែករំលែក! ", "តាមបណ្តាញសង្គម ", "ដំណឹងថា "]
KM_TAIL = [" សូមប្រុងប្រយ័ត្ន", " ចែករំលែកបន្ត", " !!!", "។"]


def coeng_swap(t):
    # ្ត្រ -> ្រ្ត: the order typists vary
    return t.replace("្ត្រ", "្រ្ត").replace("្ក្រ", "្រ្ក")


def zw(t):
    # zero-width spaces between some syllables
    out = []
    for i, ch in enumerate(t):
        out.append(ch)
        if i % 4 == 3 and "\u1780" <= ch <= "\u17b3" and rng.random() < 0.6:
            out.append(ZW)
    return "".join(out)


def km_digits(t):
    return (
        t.translate(KD)
        if any(c.isdigit() and c < "\u0080" for c in t)
        else t.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789"))
    )


def km_drop(t):
    # drop the last fifth of the text (a shortened repost)
    return t[: int(len(t) * 0.8)]


def km_reorder(t):
    # move the first third to the end
    k = len(t) // 3
    return t[k:] + " " + t[:k]


def en_variants(t):
    words = t.split()
    v = []
    v.append(("spelling", t.upper() if rng.random() < 0.5 else t.lower() + "!!"))
    v.append(("added", rng.choice(EN_ADD) + t[0].lower() + t[1:] + ", share before it is deleted"))
    dropped = [
        w for i, w in enumerate(words) if not (i == len(words) - 1 or (i == 2 and len(words) > 6))
    ]
    v.append(("dropped", " ".join(dropped)))
    syn = " ".join(EN_SYN.get(w.lower(), w) for w in words)
    v.append(("synonym", syn if syn != t else t.replace(" ", "  ") + "."))
    half = len(words) // 2
    v.append(("reordered", " ".join(words[half:] + words[:half])))
    return v


def km_variants(t):
    return [
        ("zero-width", zw(t)),
        ("digits", km_digits(t) if any(c.isdigit() for c in t) else zw(t) + "។"),
        ("coeng", coeng_swap(t) if coeng_swap(t) != t else t + rng.choice(KM_TAIL)),
        ("added", rng.choice(KM_ADD) + t + rng.choice(KM_TAIL)),
        ("dropped", km_drop(t)),
        ("reordered", km_reorder(t)),
    ]


pairs = []
for lang, items, variants in (("km", KM, km_variants), ("en", EN, en_variants)):
    for i, (text, other) in enumerate(items):
        for kind, variant in variants(text):
            pairs.append({"lang": lang, "a": text, "b": variant, "duplicate": True, "kind": kind})
        pairs.append(
            {"lang": lang, "a": text, "b": other, "duplicate": False, "kind": "same-topic"}
        )
        # another claim of the list: a different rumour
        j = (i + 7) % len(items)
        pairs.append(
            {"lang": lang, "a": text, "b": items[j][0], "duplicate": False, "kind": "other-claim"}
        )
        # the non-duplicate of a neighbour, with the shared topic word
        pairs.append(
            {
                "lang": lang,
                "a": other,
                "b": items[(i + 1) % len(items)][1],
                "duplicate": False,
                "kind": "other-topic",
            }
        )
with open(OUT, "w") as f:
    for p in pairs:
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
print(len(pairs), sum(p["duplicate"] for p in pairs))

# Hard non-duplicates: the same frame, another subject, place or fact (a different claim).
HARD = [
    (
        "en",
        "All schools will close for three weeks starting Monday",
        "All markets will close for three days starting Friday",
    ),
    ("en", "Tap water in Phnom Penh is poisoned", "Bottled water in Siem Reap is poisoned"),
    (
        "en",
        "A woman died after receiving a vaccine in Kampot province",
        "A man was injured after a road accident in Kampot province",
    ),
    (
        "en",
        "The Ministry of Interior bans tuk-tuks from January",
        "The Ministry of Tourism bans drones at Angkor Wat from January",
    ),
    (
        "en",
        "Dengue fever has killed more than 500 children this month",
        "Floods have displaced more than 500 families this month",
    ),
    (
        "en",
        "Civil servants will not be paid their December salary",
        "Garment workers will not be paid their overtime this year",
    ),
    (
        "en",
        "A tsunami will hit Preah Sihanouk province tonight",
        "A storm will hit Kep province tomorrow",
    ),
    (
        "en",
        "Commune elections have been postponed to next year",
        "The national football league has been postponed to next year",
    ),
    (
        "en",
        "Imported pork carries African swine fever",
        "Imported beef carries foot-and-mouth disease",
    ),
    (
        "en",
        "Phnom Penh international airport will close permanently",
        "Siem Reap night market will close permanently",
    ),
    ("en", "Chicken sold in markets carries bird flu", "Fish sold in markets carries formalin"),
    (
        "en",
        "The internet will be shut down nationwide for two days",
        "Electricity will be cut in Takeo for two days",
    ),
    ("km", "សាលារៀនទាំងអស់នឹងបិទរយៈពេល ៣ សប្តាហ៍ចាប់ពីថ្ងៃច័ន្ទ", "ផ្សារទាំងអស់នឹងបិទរយៈពេល ២ ថ្ងៃចាប់ពីថ្ងៃសុក្រ"),
    ("km", "ទឹកម៉ាស៊ីនក្នុងរាជធានីភ្នំពេញមានជាតិពុល", "ទឹកសុទ្ធក្នុងខេត្តសៀមរាបមានមេរោគ"),
    ("km", "ស្ត្រីម្នាក់ស្លាប់ក្រោយចាក់វ៉ាក់សាំងនៅខេត្តកំពត", "បុរសម្នាក់រងរបួសក្នុងគ្រោះថ្នាក់ចរាចរណ៍នៅខេត្តកំពត"),
    ("km", "ជំងឺគ្រុនឈាមបានសម្លាប់កុមារជាង ៥០០ នាក់នៅខែនេះ", "ទឹកជំនន់បានធ្វើឱ្យគ្រួសារជាង ៥០០ ភៀសខ្លួននៅខែនេះ"),
    ("km", "មន្ត្រីរាជការនឹងមិនទទួលបានប្រាក់ខែខែធ្នូនេះទេ", "កម្មករកាត់ដេរនឹងមិនទទួលបានប្រាក់ថែមម៉ោងឆ្នាំនេះទេ"),
    ("km", "រលកយក្សស៊ូណាមិនឹងវាយប្រហារខេត្តព្រះសីហនុនៅយប់នេះ", "ព្យុះនឹងវាយប្រហារខេត្តកែបនៅថ្ងៃស្អែក"),
    ("km", "ការបោះឆ្នោតឃុំសង្កាត់ត្រូវបានពន្យារពេលទៅឆ្នាំក្រោយ", "ការប្រកួតបាល់ទាត់ជាតិត្រូវបានពន្យារពេលទៅឆ្នាំក្រោយ"),
    ("km", "ឈាមជ្រូកនាំចូលមានមេរោគប៉េស្តជ្រូកអាហ្វ្រិក", "សាច់គោនាំចូលមានមេរោគជំងឺអុតក្តាម"),
    ("km", "ព្រលានយន្តហោះអន្តរជាតិភ្នំពេញនឹងបិទទ្វារជាអចិន្ត្រៃយ៍", "ផ្សាររាត្រីសៀមរាបនឹងបិទទ្វារជាអចិន្ត្រៃយ៍"),
    ("km", "សាច់មាន់ក្នុងផ្សារមានផ្ទុកមេរោគផ្តាសាយបក្សី", "ត្រីក្នុងផ្សារមានផ្ទុកសារធាតុហ្វ័រម៉ាលីន"),
    ("km", "ប្រព័ន្ធអ៊ីនធឺណិតទូទាំងប្រទេសនឹងត្រូវបិទរយៈពេល ២ ថ្ងៃ", "ភ្លើងអគ្គិសនីនៅខេត្តតាកែវនឹងត្រូវផ្តាច់រយៈពេល ២ ថ្ងៃ"),
]
with open(OUT, "a") as f:
    for lang, a, b in HARD:
        f.write(
            json.dumps(
                {"lang": lang, "a": a, "b": b, "duplicate": False, "kind": "same-frame"},
                ensure_ascii=False,
            )
            + "\n"
        )
print(len(HARD))
