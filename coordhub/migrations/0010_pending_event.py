"""Events written on PostgreSQL wait in ``pending_event`` until numbered after their commit
(see ``coordhub.events.log``): writers no longer queue on the event counter row."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from coordhub.models.events import EventType
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_connector_enabled_event')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PendingEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('type', fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED', enum_type=EventType, max_length=40)),
                ('claim_id', fields.IntField(null=True)),
                ('rebuttal_id', fields.IntField(null=True)),
                ('delivery_id', fields.BigIntField(null=True)),
                ('scope', fields.CharField(default='|', max_length=1024)),
                ('actor_id', fields.IntField(null=True)),
                ('actor_role', fields.CharField(null=True, max_length=16)),
                ('actor_institution', fields.CharField(null=True, max_length=64)),
                ('public', fields.BooleanField(default=False)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('payload', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'pending_event', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An event written on PostgreSQL, committed but not yet numbered.'},
            bases=['Model'],
        ),
    ]
