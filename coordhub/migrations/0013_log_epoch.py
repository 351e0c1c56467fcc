"""The log epoch (see ``coordhub.events.epoch``): a one-row table holding a random token, drawn
here when a database is created (or migrated to this version) and drawn again by
``coordhub log new-epoch`` after a restore from a backup."""

import secrets

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


async def draw_epoch(apps, schema_editor) -> None:
    token = secrets.token_hex(6)  # hexadecimal only, so safe to write into the statement
    await schema_editor.client.execute_script(
        f"INSERT INTO log_epoch (id, token) VALUES (1, '{token}')"
    )


async def forget_epoch(apps, schema_editor) -> None:
    await schema_editor.client.execute_script("DELETE FROM log_epoch")


class Migration(migrations.Migration):
    dependencies = [("models", "0011_public_claim_search")]

    initial = False

    operations = [
        ops.CreateModel(
            name="LogEpoch",
            fields=[
                ("id", fields.IntField(generated=False, primary_key=True, unique=True, db_index=True)),
                ("token", fields.CharField(max_length=16)),
            ],
            options={
                "table": "log_epoch",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The log's epoch: one row, holding a random token.",
            },
            bases=["Model"],
        ),
        ops.RunPython(draw_epoch, forget_epoch),
    ]
