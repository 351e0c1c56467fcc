"""Near-duplicate search on PostgreSQL by distance order (``coordhub.workflow.duplicates``):
GiST trigram indexes on ``claim.similar_km`` and ``claim.similar_en``, which give the claims
nearest a text (``<->``) without scoring every one that shares trigrams with it, in place of
0017's GIN indexes (``%``), which no query uses any more.

Built ``CONCURRENTLY`` as in 0008, so not atomic. SQLite: nothing (its candidates come from the
trigram tables). No model state changes here.
"""

from tortoise import migrations

from coordhub.migration_operations import RunSQLOn

COLUMNS = ("similar_km", "similar_en")


def gist(column: str) -> list[str]:
    return [
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_gist",
        f"CREATE INDEX CONCURRENTLY claim_{column}_gist ON claim USING gist ({column} gist_trgm_ops)",
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_trgm",
    ]


def gin(column: str) -> list[str]:
    return [
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_trgm",
        f"CREATE INDEX CONCURRENTLY claim_{column}_trgm ON claim USING gin ({column} gin_trgm_ops)",
        f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_gist",
    ]


class Migration(migrations.Migration):
    dependencies = [("models", "0017_claim_similarity")]

    initial = False
    atomic = False

    operations = [
        RunSQLOn("postgres", gist(column), gin(column), atomic=False) for column in COLUMNS
    ]
