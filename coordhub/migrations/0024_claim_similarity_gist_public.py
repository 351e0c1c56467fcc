"""Near-duplicate search, second form (``coordhub.workflow.duplicates``).

PostgreSQL: the GiST trigram indexes of 0018 again with 256-byte signatures (``siglen``: the
default 12 bytes saturate on a summary's fifty-odd trigrams, so a distance walk opened many
pages for each claim it returned; 82 to 16 ms for the 40 nearest of a million claims), and a
second pair over the public claims only, for the walks of callers who do not read everything
(through the hidden claims, the walk had passed over more than it kept).

Both databases: an index on ``claim.reported_by_id``. A reporter's own claims are compared one
by one; without it PostgreSQL took them from the trigram bitmaps (1.2 s at a million claims).

Built ``CONCURRENTLY`` on PostgreSQL as in 0008 and 0018, so not atomic. No model state changes.
"""

from tortoise import migrations

from coordhub.migration_operations import RunSQLOn

COLUMNS = ("similar_km", "similar_en")
OPS = "gist_trgm_ops(siglen=256)"


def forward(column: str) -> list[str]:
    return [
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_gist256",
        f"CREATE INDEX CONCURRENTLY claim_{column}_gist256 ON claim USING gist ({column} {OPS})",
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_public_gist",
        f"CREATE INDEX CONCURRENTLY claim_{column}_public_gist ON claim "
        f"USING gist ({column} {OPS}) WHERE public",
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_gist",
    ]


def backward(column: str) -> list[str]:
    return [
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_gist",
        f"CREATE INDEX CONCURRENTLY claim_{column}_gist ON claim USING gist ({column} gist_trgm_ops)",
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_public_gist",
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_gist256",
    ]


REPORTED_BY = "claim_reported_by_id"


class Migration(migrations.Migration):
    dependencies = [("models", "0023_bilingual_evidence_and_retraction")]

    initial = False
    atomic = False

    operations = [
        *(RunSQLOn("postgres", forward(c), backward(c), atomic=False) for c in COLUMNS),
        RunSQLOn(
            "postgres",
            [f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {REPORTED_BY} ON claim (reported_by_id)"],
            [f"DROP INDEX CONCURRENTLY IF EXISTS {REPORTED_BY}"],
            atomic=False,
        ),
        RunSQLOn(
            "sqlite",
            [f"CREATE INDEX IF NOT EXISTS {REPORTED_BY} ON claim (reported_by_id)"],
            [f"DROP INDEX IF EXISTS {REPORTED_BY}"],
            atomic=False,
        ),
    ]
