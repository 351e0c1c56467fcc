"""Dismissal reasons OPINION, SATIRE and NOT_VERIFIABLE.

The column stays what it was (a nullable varchar(32) holding the reason's name), so only the
migration state changes: an AlterField would make SQLite rebuild the claim table, and with it
drop the triggers that keep the text search table (0008) up to date."""

from tortoise import fields, migrations
from coordhub.migration_operations import AlterFieldState

from coordhub.models.claims import DismissalReason


class Migration(migrations.Migration):
    dependencies = [('models', '0013_log_epoch')]

    initial = False

    operations = [
        AlterFieldState(
            model_name='Claim',
            name='dismissal_reason',
            field=fields.CharEnumField(null=True, description='ACCURATE: ACCURATE\nNOT_NEWS: NOT_NEWS\nOPINION: OPINION\nSATIRE: SATIRE\nNOT_VERIFIABLE: NOT_VERIFIABLE\nOUT_OF_SCOPE: OUT_OF_SCOPE\nINSUFFICIENT_REACH: INSUFFICIENT_REACH', enum_type=DismissalReason, max_length=32),
        ),
    ]
