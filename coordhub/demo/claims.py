"""The demo's claims: clearly fictional false or misleading news items of the kind that
circulate on social media, each with the state the demo drives it to. Together they cover every
claim state, plus a corrected (revision 2) and a retracted rebuttal.

All addresses are on fictional ``.example`` domains. Appearances name a platform or site, never
a person or an account handle: the project stores no personal data about people who shared a
claim.
"""

from coordhub.demo.seeds import ClaimSeed

CLAIMS: list[ClaimSeed] = [
    {
        "key": "hpv-vaccine",
        "summary_km": (
            "លិខិតក្លែងក្លាយក្នុងនាមក្រសួងសុខាភិបាលអះអាងថា វ៉ាក់សាំង HPV "
            "ដែលចាក់ឱ្យសិស្សស្រីបង្កឱ្យមិនអាចមានកូន "
            "និងណែនាំឱ្យឪពុកម្តាយបដិសេធការចាក់វ៉ាក់សាំងនេះ។"
        ),
        "summary_en": (
            "A forged Ministry of Health notice claims that the HPV vaccine given to schoolgirls "
            "causes infertility and tells parents to refuse it."
        ),
        "topic": "health",
        "priority": "CRITICAL",
        "lead": "health",
        "supporting": ["education"],
        "appearances": [
            {
                "url": "https://social.example/posts/8812",
                "outlet": "Social.example",
                "hours_ago": 30,
            },
            {
                "url": "https://chat.example/channels/public/40217",
                "outlet": "Chat.example public channel",
                "hours_ago": 26,
            },
            {
                "url": "https://dailybuzz.example/news/hpv-vaccine-warning",
                "outlet": "Daily Buzz",
                "hours_ago": 20,
            },
        ],
        "first_seen_hours_ago": 30,
        "target_state": "REBUTTED",
        "rebuttal": {
            "verdict": "FALSE",
            "headline_km": "ព័ត៌មានថាវ៉ាក់សាំង HPV បង្កឱ្យមិនអាចមានកូន គឺមិនពិតទេ",
            "headline_en": "The claim that the HPV vaccine causes infertility is false",
            "body_km": (
                "ក្រសួងសុខាភិបាលមិនបានចេញសេចក្តីជូនដំណឹងណាមួយ "
                "ណែនាំឱ្យឪពុកម្តាយបដិសេធវ៉ាក់សាំង HPV ឡើយ។ "
                "ឯកសារដែលកំពុងចែកចាយតាមបណ្តាញសង្គមប្រើក្បាលលិខិតក្លែងក្លាយ "
                "និងលេខលិខិតមិនត្រឹមត្រូវ។ "
                "វ៉ាក់សាំង HPV ត្រូវបានអង្គការសុខភាពពិភពលោកទទួលស្គាល់ "
                "ហើយគ្មានភស្តុតាងណាបង្ហាញថាវាប៉ះពាល់ដល់លទ្ធភាពមានកូនឡើយ។ "
                "ឪពុកម្តាយដែលមានចម្ងល់ អាចសាកសួរមណ្ឌលសុខភាពក្នុងមូលដ្ឋាន។"
            ),
            "body_en": (
                "The Ministry of Health has not issued any notice advising parents to refuse the "
                "HPV vaccine. The document circulating online uses a forged letterhead and an "
                "invalid reference number. The HPV vaccine is recommended by the World Health "
                "Organization and there is no evidence that it affects fertility. Parents with "
                "questions can ask their local health centre."
            ),
            "evidence": [
                {
                    "url": "https://www.moh.gov.kh.example/notices/hpv-vaccination-schools",
                    "title_km": "ក្រសួងសុខាភិបាល៖ ការចាក់វ៉ាក់សាំង HPV នៅតាមសាលារៀន",
                    "title_en": "Ministry of Health: HPV vaccination in schools",
                    "note_km": "សេចក្តីជូនដំណឹងពិតរបស់ក្រសួងស្តីពីយុទ្ធនាការចាក់វ៉ាក់សាំងនៅសាលារៀន។",
                    "note_en": "The ministry's actual notice on the school vaccination campaign.",
                },
                {
                    "url": "https://www.moi.gov.kh.example/factcheck/forged-letterheads",
                    "title_km": "របៀបសម្គាល់ក្បាលលិខិតក្រសួងក្លែងក្លាយ",
                    "title_en": "How to recognise a forged ministry letterhead",
                    "note_km": "ការប្រៀបធៀបឯកសារក្លែងក្លាយជាមួយក្បាលលិខិតពិត។",
                    "note_en": "Comparison of the forged document with the genuine letterhead.",
                },
            ],
            "channels": ["akp", "tvk", "ministry-app"],
        },
    },
    {
        "key": "motorbike-tax",
        "summary_km": (
            "ការបង្ហោះតាមបណ្តាញសង្គមអះអាងថា អគ្គនាយកដ្ឋានពន្ធដារ"
            "នឹងយកពន្ធប្រចាំឆ្នាំថ្មីចំនួន២០០.០០០រៀលលើម៉ូតូគ្រប់គ្រឿង ចាប់ពីខែក្រោយ។"
        ),
        "summary_en": (
            "Posts claim that the General Department of Taxation will charge a new annual tax "
            "of 200,000 riel on every motorbike from next month."
        ),
        "topic": "tax",
        "priority": "HIGH",
        "lead": "gdt",
        "supporting": ["economy", "public-works"],
        "appearances": [
            {
                "url": "https://social.example/posts/9120",
                "outlet": "Social.example",
                "hours_ago": 52,
            },
            {
                "url": "https://clips.example/v/ab71",
                "outlet": "Clips.example",
                "hours_ago": 47,
            },
        ],
        "first_seen_hours_ago": 52,
        "target_state": "REBUTTED",
        "rebuttal": {
            "verdict": "FALSE",
            "headline_km": "គ្មានពន្ធថ្មីលើម៉ូតូទេ",
            "headline_en": "There is no new tax on motorbikes",
            "body_km": (
                "អគ្គនាយកដ្ឋានពន្ធដារមិនបានដាក់ឱ្យអនុវត្តពន្ធថ្មីណាមួយលើម៉ូតូឡើយ។ "
                "ការកែប្រែពន្ធទាំងឡាយត្រូវកំណត់ដោយច្បាប់ ឬអនុក្រឹត្យ "
                "ហើយត្រូវផ្សព្វផ្សាយក្នុងរាជកិច្ច និងលើគេហទំព័រផ្លូវការរបស់អគ្គនាយកដ្ឋាន។ "
                "រូបភាពដែលកំពុងចែកចាយ មិនមែនជាឯកសាររបស់អគ្គនាយកដ្ឋានពន្ធដារទេ។"
            ),
            "body_en": (
                "The General Department of Taxation has not introduced any new tax on "
                "motorbikes. Any change to taxes must be set by law or sub-decree and is "
                "published in the Royal Gazette and on the department's official website. "
                "The image being shared is not a document of the General Department of Taxation."
            ),
            "evidence": [
                {
                    "url": "https://www.tax.gov.kh.example/announcements",
                    "title_km": "អគ្គនាយកដ្ឋានពន្ធដារ៖ សេចក្តីប្រកាសផ្លូវការ",
                    "title_en": "General Department of Taxation: official announcements",
                    "note_km": "គ្មានសេចក្តីប្រកាសអំពីពន្ធម៉ូតូនៅក្នុងបញ្ជីផ្លូវការទេ។",
                    "note_en": "No announcement of a motorbike tax appears in the official list.",
                },
            ],
            "channels": ["akp", "tvk"],
        },
    },
    {
        "key": "school-closure",
        "summary_km": (
            "សេចក្តីប្រកាសក្លែងក្លាយមួយអះអាងថា សាលារៀនរដ្ឋទាំងអស់នឹងត្រូវបិទរយៈពេលពីរសប្តាហ៍ ដោយសារអាកាសធាតុក្តៅខ្លាំង។"
        ),
        "summary_en": (
            "A fake announcement says that all public schools will close for two weeks because "
            "of extreme heat."
        ),
        "topic": "education",
        "priority": "HIGH",
        "lead": "education",
        "supporting": ["water-resources"],
        "appearances": [
            {
                "url": "https://social.example/posts/9377",
                "outlet": "Social.example",
                "hours_ago": 9,
            },
            {
                "url": "https://kh-newsfeed.example/2024/schools-closed",
                "outlet": "KH Newsfeed",
                "hours_ago": 6,
            },
        ],
        "first_seen_hours_ago": 9,
        "target_state": "IN_PROGRESS",
        "rebuttal": {
            "verdict": "FALSE",
            "headline_km": "សាលារៀននៅតែបើកដំណើរការធម្មតា សេចក្តីប្រកាសបិទសាលាជាឯកសារក្លែងក្លាយ",
            "headline_en": "Schools remain open: the closure announcement is fake",
            "body_km": (
                "ក្រសួងអប់រំ យុវជន និងកីឡាមិនបានចេញបញ្ជាឱ្យបិទសាលារៀនទូទាំងប្រទេសឡើយ។ "
                "ការសិក្សានៅតែដំណើរការតាមកាលវិភាគធម្មតា។ "
                "ក្នុងអំឡុងពេលអាកាសធាតុក្តៅ សាលារៀនអាចកែសម្រួលម៉ោងសិក្សាតាមស្ថានភាពជាក់ស្តែង "
                "និងត្រូវធានាឱ្យមានទឹកស្អាតគ្រប់គ្រាន់សម្រាប់សិស្ស។"
            ),
            "body_en": (
                "The Ministry of Education, Youth and Sport has not ordered any nationwide school "
                "closure. Classes continue on the normal timetable. During hot weather, schools "
                "may adjust class hours to local conditions and must make sure students have "
                "enough clean drinking water."
            ),
            "evidence": [
                {
                    "url": "https://www.moeys.gov.kh.example/announcements/school-calendar",
                    "title_km": "ក្រសួងអប់រំ យុវជន និងកីឡា៖ ប្រតិទិនសិក្សា",
                    "title_en": "Ministry of Education, Youth and Sport: school calendar",
                    "note_km": "ប្រតិទិនផ្លូវការមិនបង្ហាញពីការបិទសាលារៀនក្នុងប៉ុន្មានសប្តាហ៍ខាងមុខទេ។",
                    "note_en": "The official calendar shows no closure in the coming weeks.",
                },
            ],
            "channels": ["akp", "ministry-app"],
        },
    },
    {
        "key": "dam-photo",
        "summary_km": (
            "រូបថតទីក្រុងមួយលិចទឹកត្រូវបានចែកចាយជាមួយការអះអាងថា ទំនប់វារីអគ្គិសនីមួយនៅខេត្តស្ទឹងត្រែងបានបាក់កាលពីយប់មិញ។"
        ),
        "summary_en": (
            "A photo of a flooded town is being shared with the caption that a hydropower dam "
            "in Stung Treng province burst overnight."
        ),
        "topic": "disaster",
        "priority": "CRITICAL",
        "lead": "water-resources",
        "supporting": ["mines-energy", "interior"],
        "appearances": [
            {
                "url": "https://social.example/posts/7702",
                "outlet": "Social.example",
                "hours_ago": 75,
            },
            {
                "url": "https://photoshare.example/p/55310",
                "outlet": "PhotoShare.example",
                "hours_ago": 73,
            },
            {
                "url": "https://chat.example/channels/public/39954",
                "outlet": "Chat.example public channel",
                "hours_ago": 70,
            },
        ],
        "first_seen_hours_ago": 75,
        "target_state": "CORRECTED",
        "rebuttal": {
            "verdict": "MISLEADING",
            "headline_km": "រូបថតទឹកជំនន់ជារូបថតចាស់ មិនមែនបណ្តាលមកពីទំនប់បាក់ទេ",
            "headline_en": "The flood photo is old and does not show a dam failure",
            "body_km": (
                "រូបថតនេះជារូបថតពិត ប៉ុន្តែជារូបថតចាស់ "
                "ដែលបង្ហាញពីទឹកជំនន់នៅខេត្តបន្ទាយមានជ័យកាលពីខែតុលា ឆ្នាំ២០២០ "
                "ហើយគ្មានទំនាក់ទំនងនឹងទំនប់ណាមួយឡើយ។ "
                "ក្រសួងធនធានទឹក និងឧតុនិយម និងក្រសួងរ៉ែ និងថាមពល បញ្ជាក់ថា "
                "ទំនប់វារីអគ្គិសនីទាំងអស់នៅខេត្តស្ទឹងត្រែងកំពុងដំណើរការជាធម្មតា។ "
                "សាធារណជនគួរតាមដានការព្រមានអំពីទឹកជំនន់ពីប្រភពផ្លូវការតែប៉ុណ្ណោះ។"
            ),
            "body_en": (
                "The photograph is genuine but old: it shows the October 2020 floods in Banteay "
                "Meanchey province and has nothing to do with any dam. The Ministry of Water "
                "Resources and Meteorology and the Ministry of Mines and Energy confirm that all "
                "hydropower dams in Stung Treng province are operating normally. The public "
                "should follow flood warnings from official sources only."
            ),
            "evidence": [
                {
                    "url": "https://www.mowram.gov.kh.example/bulletins/water-levels",
                    "title_km": "ព្រឹត្តិបត្រកម្រិតទឹកប្រចាំថ្ងៃ",
                    "title_en": "Daily water level bulletin",
                    "note_km": "កម្រិតទឹកនៅគ្រប់ស្ថានីយតាមដាន ស្ថិតក្នុងកម្រិតសុវត្ថិភាព។",
                    "note_en": "Water levels at all monitored stations are within safe limits.",
                },
                {
                    "url": "https://www.mme.gov.kh.example/news/hydropower-status",
                    "title_km": "ក្រសួងរ៉ែ និងថាមពល៖ ទំនប់វារីអគ្គិសនីដំណើរការធម្មតា",
                    "title_en": "Ministry of Mines and Energy: hydropower dams operating normally",
                    "note_km": "សេចក្តីថ្លែងការណ៍ស្តីពីស្ថានភាពទំនប់ដែលបានលើកឡើងក្នុងការបង្ហោះ។",
                    "note_en": "Statement on the status of the dams named in the posts.",
                },
            ],
            "channels": ["akp", "tvk", "ministry-app"],
        },
        "correction": {
            "verdict": "MISLEADING",
            "headline_km": "រូបថតទឹកជំនន់ជារូបថតចាស់ពីបរទេស មិនមែនបណ្តាលមកពីទំនប់បាក់ទេ",
            "headline_en": (
                "The flood photo is old, was taken abroad and does not show a dam failure"
            ),
            "body_km": (
                "រូបថតនេះជារូបថតពិត ប៉ុន្តែជារូបថតចាស់ ហើយមិនមែនថតនៅកម្ពុជាទេ។ "
                "ការស្វែងរកតាមរូបភាពបង្ហាញថា "
                "វាត្រូវបានផ្សព្វផ្សាយដំបូងកាលពីឆ្នាំ២០១៩ ក្នុងរបាយការណ៍អំពីទឹកជំនន់នៅប្រទេសជិតខាង។ "
                "សេចក្តីថ្លែងការណ៍មុនរបស់យើងបានបញ្ជាក់ខុសថា "
                "វាជារូបថតទឹកជំនន់នៅខេត្តបន្ទាយមានជ័យកាលពីឆ្នាំ២០២០។ "
                "ទំនប់វារីអគ្គិសនីទាំងអស់នៅខេត្តស្ទឹងត្រែងនៅតែកំពុងដំណើរការជាធម្មតា។"
            ),
            "body_en": (
                "The photograph is genuine but old, and it was not taken in Cambodia: a reverse "
                "image search traces it to a 2019 report on floods in a neighbouring country. "
                "Our earlier statement wrongly said it showed the 2020 floods in Banteay Meanchey "
                "province. All hydropower dams in Stung Treng province are still operating "
                "normally."
            ),
            "evidence": [
                {
                    "url": "https://www.mowram.gov.kh.example/bulletins/water-levels",
                    "title_km": "ព្រឹត្តិបត្រកម្រិតទឹកប្រចាំថ្ងៃ",
                    "title_en": "Daily water level bulletin",
                    "note_km": "កម្រិតទឹកនៅគ្រប់ស្ថានីយតាមដាន ស្ថិតក្នុងកម្រិតសុវត្ថិភាព។",
                    "note_en": "Water levels at all monitored stations are within safe limits.",
                },
                {
                    "url": "https://imagecheck.example/reports/55310",
                    "title_km": "លទ្ធផលស្វែងរករូបភាពបញ្ច្រាស",
                    "title_en": "Reverse image search result",
                    "note_km": "ច្បាប់ចម្លងដំបូងបំផុតនៃរូបថតនេះ ដែលបានផ្សព្វផ្សាយក្នុងឆ្នាំ ២០១៩ នៅក្រៅប្រទេសកម្ពុជា។",
                    "note_en": "Earliest copy of the photo, published in 2019 outside Cambodia.",
                },
            ],
            "channels": ["akp", "tvk", "ministry-app"],
        },
    },
    {
        "key": "banknote-recall",
        "summary_km": (
            "សេចក្តីជូនដំណឹងក្លែងក្លាយក្នុងនាមធនាគារជាតិនៃកម្ពុជាអះអាងថា "
            "ក្រដាសប្រាក់៥០.០០០រៀលនឹងលែងមានតម្លៃចាយវាយនៅចុងខែនេះ។"
        ),
        "summary_en": (
            "A fake National Bank of Cambodia notice says that 50,000-riel banknotes will no "
            "longer be legal tender at the end of this month."
        ),
        "topic": "finance",
        "priority": "HIGH",
        "lead": "nbc",
        "supporting": ["economy"],
        "appearances": [
            {
                "url": "https://social.example/posts/9501",
                "outlet": "Social.example",
                "hours_ago": 14,
            },
            {
                "url": "https://chat.example/channels/public/40588",
                "outlet": "Chat.example public channel",
                "hours_ago": 11,
            },
        ],
        "first_seen_hours_ago": 14,
        "target_state": "TRIAGED",
    },
    {
        "key": "banknote-video",
        "summary_km": (
            "វីដេអូខ្លីមួយលើកឡើងម្តងទៀតថា ក្រដាសប្រាក់៥០.០០០រៀលកំពុងត្រូវដកចេញពីចរាចរ "
            "ហើយជំរុញឱ្យអ្នកមើលប្តូរប្រាក់នៅតូបប្តូរប្រាក់មុនថ្ងៃផុតកំណត់។"
        ),
        "summary_en": (
            "A short video repeats the claim that 50,000-riel notes are being withdrawn and "
            "urges viewers to exchange them at money changers before the deadline."
        ),
        "topic": "finance",
        "priority": "NORMAL",
        "lead": "nbc",
        "supporting": [],
        "appearances": [
            {
                "url": "https://clips.example/v/c93d",
                "outlet": "Clips.example",
                "hours_ago": 8,
            },
        ],
        "first_seen_hours_ago": 8,
        "target_state": "MERGED",
        "merge_into": "banknote-recall",
    },
    {
        "key": "election-delay",
        "summary_km": (
            "សារដែលកំពុងបញ្ជូនបន្តក្នុងក្រុមជជែកអះអាងថា "
            "គណៈកម្មាធិការជាតិរៀបចំការបោះឆ្នោតបានពន្យារពេល"
            "ការបោះឆ្នោតជ្រើសរើសក្រុមប្រឹក្សាឃុំ សង្កាត់ចំនួនមួយឆ្នាំ។"
        ),
        "summary_en": (
            "A message forwarded in chat groups says that the National Election Committee has "
            "postponed the commune and sangkat council elections by one year."
        ),
        "topic": "elections",
        "priority": "NORMAL",
        "lead": "nec",
        "supporting": ["interior"],
        "appearances": [
            {
                "url": "https://chat.example/channels/public/40702",
                "outlet": "Chat.example public channel",
                "hours_ago": 2,
            },
        ],
        "first_seen_hours_ago": 2,
        "target_state": "REPORTED",
    },
    {
        "key": "fuel-price",
        "summary_km": (
            "ការបង្ហោះមួយរាយការណ៍ថា តម្លៃលក់រាយប្រេងឥន្ធនៈដែលប្រកាសដោយក្រសួងពាណិជ្ជកម្ម "
            "នឹងកើនឡើង១០០រៀលក្នុងមួយលីត្រសម្រាប់រយៈពេលខាងមុខ។"
        ),
        "summary_en": (
            "A post reports that the retail fuel prices announced by the Ministry of Commerce "
            "will rise by 100 riel per litre for the coming period."
        ),
        "topic": "prices",
        "priority": "LOW",
        "lead": "commerce",
        "supporting": ["economy"],
        "appearances": [
            {
                "url": "https://dailybuzz.example/news/fuel-prices-up",
                "outlet": "Daily Buzz",
                "hours_ago": 20,
            },
        ],
        "first_seen_hours_ago": 20,
        "target_state": "DISMISSED",
        "dismissal_reason": "ACCURATE",
        "dismissal_note_km": (
            "តួលេខទាំងនេះត្រូវគ្នានឹងតម្លៃលក់រាយអតិបរមាដែលក្រសួងពាណិជ្ជកម្ម "
            "និងក្រសួងសេដ្ឋកិច្ច និងហិរញ្ញវត្ថុបានប្រកាសរួមគ្នា ដូច្នេះមិនចាំបាច់ចេញការបំភ្លឺទេ។"
        ),
        "dismissal_note_en": (
            "The figures match the maximum retail prices published jointly by the Ministry of "
            "Commerce and the Ministry of Economy and Finance, so no rebuttal is needed."
        ),
    },
    {
        "key": "pig-cull",
        "summary_km": (
            "ការបង្ហោះតាមបណ្តាញសង្គមអះអាងថា ក្រសួងកសិកម្ម រុក្ខាប្រមាញ់ និងនេសាទ"
            "បានបញ្ជាឱ្យសម្លាប់ជ្រូកទាំងអស់នៅខេត្តតាកែវ ដោយសារជំងឺប៉េស្តជ្រូកអាហ្វ្រិក។"
        ),
        "summary_en": (
            "Posts claim that the Ministry of Agriculture, Forestry and Fisheries has ordered "
            "all pigs in Takeo province to be culled because of African swine fever."
        ),
        "topic": "agriculture",
        "priority": "HIGH",
        "lead": "agriculture",
        "supporting": [],
        "appearances": [
            {
                "url": "https://social.example/posts/8034",
                "outlet": "Social.example",
                "hours_ago": 120,
            },
            {
                "url": "https://farmnews.example/articles/takeo-pigs",
                "outlet": "Farm News",
                "hours_ago": 110,
            },
        ],
        "first_seen_hours_ago": 120,
        "target_state": "RETRACTED",
        "rebuttal": {
            "verdict": "FALSE",
            "headline_km": "គ្មានបញ្ជាឱ្យសម្លាប់ជ្រូកទាំងអស់នៅខេត្តតាកែវទេ",
            "headline_en": "No order has been given to cull all pigs in Takeo province",
            "body_km": (
                "ក្រសួងកសិកម្ម រុក្ខាប្រមាញ់ និងនេសាទ"
                "មិនបានចេញបញ្ជាឱ្យសម្លាប់ជ្រូកទាំងអស់នៅខេត្តតាកែវឡើយ។ "
                "មន្ត្រីពេទ្យសត្វកំពុងតាមដានកសិដ្ឋាននានា "
                "ហើយមិនទាន់មានការបញ្ជាក់ពីការផ្ទុះជំងឺនៅក្នុងខេត្តនេះទេ។ "
                "កសិករដែលសង្ស័យថាសត្វរបស់ខ្លួនឈឺ គួររាយការណ៍ទៅមន្ត្រីពេទ្យសត្វក្នុងមូលដ្ឋានភ្លាមៗ។"
            ),
            "body_en": (
                "The Ministry of Agriculture, Forestry and Fisheries has not ordered all pigs in "
                "Takeo province to be culled. Veterinary officers are monitoring farms and no "
                "outbreak has been confirmed in the province. Farmers who suspect that their "
                "animals are sick should report to their local veterinary officer at once."
            ),
            "evidence": [
                {
                    "url": "https://www.maff.gov.kh.example/news/asf-monitoring",
                    "title_km": "ជំងឺប៉េស្តជ្រូកអាហ្វ្រិក៖ ការតាមដាននៅតាមខេត្ត",
                    "title_en": "African swine fever: monitoring in the provinces",
                    "note_km": "ព័ត៌មានថ្មីបំផុតរបស់ក្រសួងស្តីពីការតាមដានជំងឺសត្វ។",
                    "note_en": "The ministry's latest update on animal disease surveillance.",
                },
            ],
            "channels": ["akp", "tvk"],
        },
        "retraction_reason_km": (
            "មន្ទីរកសិកម្មខេត្តបានបញ្ជាក់នៅពេលក្រោយថា មានករណីជំងឺប៉េស្តជ្រូកអាហ្វ្រិក "
            "និងការសម្លាប់ជ្រូកជាការប្រុងប្រយ័ត្ននៅកសិដ្ឋានមួយក្នុងខេត្តតាកែវ "
            "ដូច្នេះសេចក្តីថ្លែងការណ៍ថាមិនទាន់មានការផ្ទុះជំងឺត្រូវបានបញ្ជាក់ គឺខុស។ "
            "ការឆ្លើយតបនេះត្រូវបានដកវិញ រង់ចាំសេចក្តីថ្លែងការណ៍ដែលបានកែសម្រួល។"
        ),
        "retraction_reason_en": (
            "The provincial agriculture department later confirmed an African swine fever case "
            "and a precautionary cull at one farm in Takeo, so the statement that no outbreak "
            "had been confirmed was wrong; the rebuttal is withdrawn pending a revised statement."
        ),
    },
    {
        "key": "nssf-sms",
        "summary_km": (
            "សារ SMS អះអាងថា ប័ណ្ណថែទាំសុខភាពរបស់បេឡាជាតិរបបសន្តិសុខសង្គម"
            "នឹងផុតសុពលភាពក្នុងសប្តាហ៍នេះ "
            "ហើយត្រូវបន្តតាមតំណភ្ជាប់ដែលស្នើសុំព័ត៌មានគណនីធនាគារ។"
        ),
        "summary_en": (
            "Text messages claim that National Social Security Fund health-care cards expire "
            "this week and must be renewed through a link that asks for bank account details."
        ),
        "topic": "scam",
        "priority": "HIGH",
        "lead": "nssf",
        "supporting": ["labour", "posts-telecom"],
        "appearances": [
            {
                "url": "https://nssf-renew.example/card",
                "outlet": "Phishing site nssf-renew.example",
                "hours_ago": 40,
            },
            {
                "url": "https://social.example/posts/9288",
                "outlet": "Social.example",
                "hours_ago": 36,
            },
        ],
        "first_seen_hours_ago": 40,
        "target_state": "REBUTTED",
        "rebuttal": {
            "verdict": "FALSE",
            "headline_km": "បេឡាជាតិរបបសន្តិសុខសង្គមមិនស្នើឱ្យបន្តប័ណ្ណតាមសារ SMS ទេ",
            "headline_en": "The NSSF does not ask members to renew cards by text message",
            "body_km": (
                "បេឡាជាតិរបបសន្តិសុខសង្គមមិនដែលស្នើឱ្យសមាជិកបន្តប័ណ្ណតាមរយៈសារ SMS "
                "ឬផ្តល់ព័ត៌មានគណនីធនាគារឡើយ។ "
                "តំណភ្ជាប់នៅក្នុងសារនោះនាំទៅកាន់គេហទំព័របោកប្រាស់។ "
                "សមាជិកអាចពិនិត្យស្ថានភាពប័ណ្ណរបស់ខ្លួននៅការិយាល័យបេឡាជាតិរបបសន្តិសុខសង្គម "
                "ឬតាមកម្មវិធីទូរស័ព្ទផ្លូវការ។ "
                "សូមកុំចុចលើតំណភ្ជាប់ ឬចែករំលែកលេខកូដសម្ងាត់ជាមួយអ្នកណាម្នាក់។"
            ),
            "body_en": (
                "The National Social Security Fund never asks members to renew their cards by "
                "text message or to share bank account details. The link in the message leads "
                "to a fraudulent website. Members can check their card at any NSSF office or in "
                "the official mobile app. Do not click the link or share any code with anyone."
            ),
            "evidence": [
                {
                    "url": "https://www.nssf.gov.kh.example/notices/fraud-warning",
                    "title_km": "ការព្រមានរបស់ ប.ស.ស. អំពីសារ SMS បោកប្រាស់",
                    "title_en": "NSSF warning about fraudulent text messages",
                    "note_km": "ការព្រមានផ្ទាល់របស់បេឡាជាតិ ព្រមទាំងឧទាហរណ៍នៃសារក្លែងក្លាយ។",
                    "note_en": "The fund's own warning, with examples of the fake messages.",
                },
                {
                    "url": "https://www.mptc.gov.kh.example/news/sms-scam-blocking",
                    "title_km": "ក្រសួងប្រៃសណីយ៍ និងទូរគមនាគមន៍៖ ដែនបោកប្រាស់ត្រូវបានបិទ",
                    "title_en": "Ministry of Posts and Telecommunications: scam domains blocked",
                    "note_km": "បញ្ជាក់ថា ដែននៅក្នុងសារនេះត្រូវបានរាយការណ៍ និងបិទហើយ។",
                    "note_en": "Confirms the domain in the message has been reported and blocked.",
                },
            ],
            "channels": ["akp", "tvk", "ministry-app"],
        },
    },
]
