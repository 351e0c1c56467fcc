"""Near-duplicate detection (``coordhub.workflow.duplicates``): each claim's summaries in the
normal form they are compared in, ``similar_km`` and ``similar_en``.

The columns are added (SQLite: ``ALTER TABLE ... ADD COLUMN``, which keeps the claim table and
its text search triggers) and filled for the claims already there, a thousand at a time.
SQLite: an ``fts5vocab`` table beside each trigram table (0008, 0011), whose document counts
pick the rarest trigrams of a text. PostgreSQL: ``pg_trgm`` (already there since 0008; created again if missing) and a GIN trigram
index on each column, for ``similarity()``'s ``%``, built ``CONCURRENTLY`` as in 0008, so this
migration is not atomic either. SQLite takes its candidates from the trigram table of 0008.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from coordhub.migration_operations import RunSQLOn
from coordhub.similarity import normalise

BATCH = 1000


async def fill(apps: Any, schema_editor: Any) -> None:
    """The normal forms of every claim's summaries, in batches by id."""
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    select = (
        "SELECT id, summary_km, summary_en FROM claim WHERE id > {} ORDER BY id LIMIT {}"
    ).format("$1" if postgres else "?", BATCH)
    update = "UPDATE claim SET similar_km = {}, similar_en = {} WHERE id = {}".format(
        *(("$1", "$2", "$3") if postgres else ("?", "?", "?"))
    )
    last = 0
    while True:
        rows = (await client.execute_query(select, [last]))[1]
        if not rows:
            return
        await client.execute_many(
            update,
            [[normalise(r["summary_km"]), normalise(r["summary_en"]), r["id"]] for r in rows],
        )
        last = rows[-1]["id"]


class AddColumn(ops.AddField):
    """AddField of a text column with a database default of '' (SQLite refuses a NOT NULL
    column without one on a table that has rows, and raw inserts get ''), whose way back drops
    the column in place: on SQLite, Tortoise would rebuild the claim table, and with it drop
    the text search triggers of 0008 and 0011."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None:
            await state_editor.client.execute_script(
                f"ALTER TABLE \"claim\" ADD COLUMN \"{self.name}\" TEXT NOT NULL DEFAULT ''"
            )

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None:
            await state_editor.client.execute_script(
                f'ALTER TABLE "claim" DROP COLUMN "{self.name}"'
            )


INDEXES = ("similar_km", "similar_en")
#: SQLite: each trigram table's document counts per trigram, read by the candidates' query.
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_vocab USING fts5vocab({table}, 'row')"
    for table in ("claim_search", "claim_search_public")
]
SQLITE_BACKWARD = [
    f"DROP TABLE IF EXISTS {table}_vocab" for table in ("claim_search", "claim_search_public")
]


class Migration(migrations.Migration):
    dependencies = [('models', '0016_appearance_added_event')]

    initial = False
    atomic = False

    operations = [
        AddColumn(
            model_name='Claim',
            name='similar_km',
            field=fields.TextField(default='', unique=False),
        ),
        AddColumn(
            model_name='Claim',
            name='similar_en',
            field=fields.TextField(default='', unique=False),
        ),
        ops.RunPython(fill, ops.RunPython.noop, atomic=False),
        RunSQLOn(
            "postgres",
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            RunSQLOn.noop,
            atomic=False,
        ),
        *(
            RunSQLOn(
                "postgres",
                [
                    f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_trgm",
                    f"CREATE INDEX CONCURRENTLY claim_{column}_trgm "
                    f"ON claim USING gin ({column} gin_trgm_ops)",
                ],
                f"DROP INDEX CONCURRENTLY IF EXISTS claim_{column}_trgm",
                atomic=False,
            )
            for column in INDEXES
        ),
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD, atomic=False),
    ]
