"""The demo's desk accounts, one per role, so that a newcomer can try every mutation. Account
names are desks or systems, not private persons."""

from coordhub.demo.seeds import AccountSeed

DEMO_ACCOUNTS: list[AccountSeed] = [
    {
        "name": "Ministry of Information coordination desk",
        "role": "COORDINATOR",
        "institution": "moi",
    },
    {
        "name": "Health ministry press desk",
        "role": "EDITOR",
        "institution": "health",
    },
    {
        "name": "Health ministry spokesperson's office",
        "role": "APPROVER",
        "institution": "health",
    },
    {
        "name": "Health ministry legal review desk",
        "role": "APPROVER",
        "institution": "health",
    },
    {
        "name": "Education ministry press desk",
        "role": "EDITOR",
        "institution": "education",
    },
    {
        "name": "Education ministry spokesperson's office",
        "role": "APPROVER",
        "institution": "education",
    },
    {
        "name": "Journalists' association desk",
        "role": "REPORTER",
        "institution": None,
    },
    {
        "name": "Civil society monitoring desk",
        "role": "OBSERVER",
        "institution": None,
    },
    {
        "name": "TVK newsroom system",
        "role": "SERVICE",
        "institution": None,
    },
]
