"""The institutions of the working group: the Ministry of Information (the coordinator), the
ministries of the Royal Government of Cambodia and a few other state institutions, with their
official Khmer names (``coordhub institutions import-working-group`` and the demo use them)."""

from coordhub.demo.seeds import InstitutionSeed

INSTITUTIONS: list[InstitutionSeed] = [
    # The coordinator of the working group.
    {
        "slug": "moi",
        "name_km": "ក្រសួងព័ត៌មាន",
        "name_en": "Ministry of Information",
        "kind": "COORDINATOR",
    },
    # Ministries of the Royal Government of Cambodia.
    {
        "slug": "interior",
        "name_km": "ក្រសួងមហាផ្ទៃ",
        "name_en": "Ministry of Interior",
        "kind": "MINISTRY",
    },
    {
        "slug": "defence",
        "name_km": "ក្រសួងការពារជាតិ",
        "name_en": "Ministry of National Defence",
        "kind": "MINISTRY",
    },
    {
        "slug": "foreign-affairs",
        "name_km": "ក្រសួងការបរទេស និងសហប្រតិបត្តិការអន្តរជាតិ",
        "name_en": "Ministry of Foreign Affairs and International Cooperation",
        "kind": "MINISTRY",
    },
    {
        "slug": "economy",
        "name_km": "ក្រសួងសេដ្ឋកិច្ច និងហិរញ្ញវត្ថុ",
        "name_en": "Ministry of Economy and Finance",
        "kind": "MINISTRY",
    },
    {
        "slug": "health",
        "name_km": "ក្រសួងសុខាភិបាល",
        "name_en": "Ministry of Health",
        "kind": "MINISTRY",
    },
    {
        "slug": "education",
        "name_km": "ក្រសួងអប់រំ យុវជន និងកីឡា",
        "name_en": "Ministry of Education, Youth and Sport",
        "kind": "MINISTRY",
    },
    {
        "slug": "agriculture",
        "name_km": "ក្រសួងកសិកម្ម រុក្ខាប្រមាញ់ និងនេសាទ",
        "name_en": "Ministry of Agriculture, Forestry and Fisheries",
        "kind": "MINISTRY",
    },
    {
        "slug": "commerce",
        "name_km": "ក្រសួងពាណិជ្ជកម្ម",
        "name_en": "Ministry of Commerce",
        "kind": "MINISTRY",
    },
    {
        "slug": "public-works",
        "name_km": "ក្រសួងសាធារណការ និងដឹកជញ្ជូន",
        "name_en": "Ministry of Public Works and Transport",
        "kind": "MINISTRY",
    },
    {
        "slug": "environment",
        "name_km": "ក្រសួងបរិស្ថាន",
        "name_en": "Ministry of Environment",
        "kind": "MINISTRY",
    },
    {
        "slug": "labour",
        "name_km": "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ",
        "name_en": "Ministry of Labour and Vocational Training",
        "kind": "MINISTRY",
    },
    {
        "slug": "tourism",
        "name_km": "ក្រសួងទេសចរណ៍",
        "name_en": "Ministry of Tourism",
        "kind": "MINISTRY",
    },
    {
        "slug": "justice",
        "name_km": "ក្រសួងយុត្តិធម៌",
        "name_en": "Ministry of Justice",
        "kind": "MINISTRY",
    },
    {
        "slug": "social-affairs",
        "name_km": "ក្រសួងសង្គមកិច្ច អតីតយុទ្ធជន និងយុវនីតិសម្បទា",
        "name_en": "Ministry of Social Affairs, Veterans and Youth Rehabilitation",
        "kind": "MINISTRY",
    },
    {
        "slug": "rural-development",
        "name_km": "ក្រសួងអភិវឌ្ឍន៍ជនបទ",
        "name_en": "Ministry of Rural Development",
        "kind": "MINISTRY",
    },
    {
        "slug": "water-resources",
        "name_km": "ក្រសួងធនធានទឹក និងឧតុនិយម",
        "name_en": "Ministry of Water Resources and Meteorology",
        "kind": "MINISTRY",
    },
    {
        "slug": "mines-energy",
        "name_km": "ក្រសួងរ៉ែ និងថាមពល",
        "name_en": "Ministry of Mines and Energy",
        "kind": "MINISTRY",
    },
    {
        "slug": "posts-telecom",
        "name_km": "ក្រសួងប្រៃសណីយ៍ និងទូរគមនាគមន៍",
        "name_en": "Ministry of Posts and Telecommunications",
        "kind": "MINISTRY",
    },
    {
        "slug": "culture",
        "name_km": "ក្រសួងវប្បធម៌ និងវិចិត្រសិល្បៈ",
        "name_en": "Ministry of Culture and Fine Arts",
        "kind": "MINISTRY",
    },
    {
        "slug": "land-management",
        "name_km": "ក្រសួងរៀបចំដែនដី នគរូបនីយកម្ម និងសំណង់",
        "name_en": "Ministry of Land Management, Urban Planning and Construction",
        "kind": "MINISTRY",
    },
    {
        "slug": "planning",
        "name_km": "ក្រសួងផែនការ",
        "name_en": "Ministry of Planning",
        "kind": "MINISTRY",
    },
    {
        "slug": "industry",
        "name_km": "ក្រសួងឧស្សាហកម្ម វិទ្យាសាស្ត្រ បច្ចេកវិទ្យា និងនវានុវត្តន៍",
        "name_en": "Ministry of Industry, Science, Technology and Innovation",
        "kind": "MINISTRY",
    },
    {
        "slug": "womens-affairs",
        "name_km": "ក្រសួងកិច្ចការនារី",
        "name_en": "Ministry of Women's Affairs",
        "kind": "MINISTRY",
    },
    {
        "slug": "cults-religion",
        "name_km": "ក្រសួងធម្មការ និងសាសនា",
        "name_en": "Ministry of Cults and Religion",
        "kind": "MINISTRY",
    },
    {
        "slug": "civil-service",
        "name_km": "ក្រសួងមុខងារសាធារណៈ",
        "name_en": "Ministry of Civil Service",
        "kind": "MINISTRY",
    },
    # Other state institutions.
    {
        "slug": "nec",
        "name_km": "គណៈកម្មាធិការជាតិរៀបចំការបោះឆ្នោត",
        "name_en": "National Election Committee",
        "kind": "STATE_INSTITUTION",
    },
    {
        "slug": "nbc",
        "name_km": "ធនាគារជាតិនៃកម្ពុជា",
        "name_en": "National Bank of Cambodia",
        "kind": "STATE_INSTITUTION",
    },
    {
        "slug": "acu",
        "name_km": "អង្គភាពប្រឆាំងអំពើពុករលួយ",
        "name_en": "Anti-Corruption Unit",
        "kind": "STATE_INSTITUTION",
    },
    {
        "slug": "cdc",
        "name_km": "ក្រុមប្រឹក្សាអភិវឌ្ឍន៍កម្ពុជា",
        "name_en": "Council for the Development of Cambodia",
        "kind": "STATE_INSTITUTION",
    },
    {
        "slug": "gdt",
        "name_km": "អគ្គនាយកដ្ឋានពន្ធដារ",
        "name_en": "General Department of Taxation",
        "kind": "STATE_INSTITUTION",
    },
    {
        "slug": "nssf",
        "name_km": "បេឡាជាតិរបបសន្តិសុខសង្គម",
        "name_en": "National Social Security Fund",
        "kind": "STATE_INSTITUTION",
    },
]
