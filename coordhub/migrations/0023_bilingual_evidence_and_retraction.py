"""Evidence titles and notes, and retraction reasons, in Khmer and English.

Until now each was one text in whichever language its author wrote. Nothing tells reliably
which one that was (a title may be a Khmer ministry's English report name), so the text already
there is kept in both languages: the old column is renamed to the English one and copied into
the new Khmer one. The working copies' evidence (``rebuttal.evidence``, JSON) is rewritten the
same way, ``{url, title, note}`` becoming ``{url, title_km, title_en, note_km, note_en}``.

The new Khmer columns of ``evidence`` are added with a database default of '' (SQLite refuses a
NOT NULL column without one on a table that has rows); renames are ``RENAME COLUMN`` on both
SQLite and PostgreSQL, so no table is rebuilt. Back: the Khmer text is dropped, the English kept.
"""

from typing import Any

import orjson
from tortoise import fields, migrations
from tortoise.migrations import operations as ops

BATCH = 1000


class AddTextColumn(ops.AddField):
    """AddField of a NOT NULL text column with a database default of '', dropped in place on
    the way back."""

    def __init__(self, *args: Any, sql_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sql_type = sql_type

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None:
            await state_editor.client.execute_script(
                f'ALTER TABLE "evidence" ADD COLUMN "{self.name}" {self.sql_type} NOT NULL DEFAULT \'\''
            )

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None:
            await state_editor.client.execute_script(
                f'ALTER TABLE "evidence" DROP COLUMN "{self.name}"'
            )


def _bilingual(item: dict[str, Any]) -> dict[str, Any]:
    """A working copy's evidence item in the new shape (one already in it is kept)."""
    if "title_en" in item:
        return item
    title, note = item.get("title", ""), item.get("note", "")
    return {"url": item["url"], "title_km": title, "title_en": title, "note_km": note, "note_en": note}


def _single(item: dict[str, Any]) -> dict[str, Any]:
    """The way back: the English text."""
    if "title_en" not in item:
        return item
    return {"url": item["url"], "title": item["title_en"], "note": item.get("note_en", "")}


async def _rewrite_working_copies(schema_editor: Any, change: Any) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    select = "SELECT id, evidence FROM rebuttal WHERE id > {} ORDER BY id LIMIT {}".format(
        "$1" if postgres else "?", BATCH
    )
    update = "UPDATE rebuttal SET evidence = {} WHERE id = {}".format(
        *(("$1::jsonb", "$2") if postgres else ("?", "?"))
    )
    last = 0
    while True:
        rows = (await client.execute_query(select, [last]))[1]
        if not rows:
            return
        changed = []
        for row in rows:
            stored = row["evidence"]
            items = orjson.loads(stored) if isinstance(stored, (str, bytes)) else stored
            rewritten = [change(item) for item in items or []]
            if rewritten != items:
                changed.append([orjson.dumps(rewritten).decode(), row["id"]])
        if changed:
            await client.execute_many(update, changed)
        last = rows[-1]["id"]


async def copy_into_both_languages(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_script(
        "UPDATE evidence SET title_km = title_en, note_km = note_en"
    )
    await schema_editor.client.execute_script(
        "UPDATE rebuttal SET retraction_reason_km = retraction_reason_en"
        " WHERE retraction_reason_en IS NOT NULL"
    )
    await _rewrite_working_copies(schema_editor, _bilingual)


async def keep_english(apps: Any, schema_editor: Any) -> None:
    await _rewrite_working_copies(schema_editor, _single)


class Migration(migrations.Migration):
    dependencies = [('models', '0022_claim_clusters')]

    initial = False

    operations = [
        ops.RenameField(model_name='Evidence', old_name='title', new_name='title_en'),
        ops.RenameField(model_name='Evidence', old_name='note', new_name='note_en'),
        AddTextColumn(
            model_name='Evidence',
            name='title_km',
            field=fields.CharField(max_length=500),
            sql_type='VARCHAR(500)',
        ),
        AddTextColumn(
            model_name='Evidence',
            name='note_km',
            field=fields.TextField(default='', unique=False),
            sql_type='TEXT',
        ),
        ops.RenameField(
            model_name='Rebuttal', old_name='retraction_reason', new_name='retraction_reason_en'
        ),
        ops.AddField(
            model_name='Rebuttal',
            name='retraction_reason_km',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.RunPython(copy_into_both_languages, keep_english),
    ]
