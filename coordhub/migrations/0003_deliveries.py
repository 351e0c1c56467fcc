from tortoise import migrations
from tortoise.migrations import operations as ops
from coordhub.models.deliveries import DeliveryAction, DeliveryStatus
from coordhub.models.events import EventType
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_event_counter')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ConnectorState',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('disabled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('disabled_reason', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'connector_state', 'app': 'models', 'pk_attr': 'name', 'table_description': 'Operational state of a connector kept by the core (e.g. disabled after a 410).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Delivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rebuttal', fields.ForeignKeyField('models.Rebuttal', source_field='rebuttal_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.RESTRICT)),
                ('revision', fields.IntField()),
                ('connector', fields.CharField(max_length=64)),
                ('action', fields.CharEnumField(description='PUBLISH: PUBLISH\nUPDATE: UPDATE\nRETRACT: RETRACT', enum_type=DeliveryAction, max_length=16)),
                ('idempotency_key', fields.CharField(unique=True, description='Stable across retries and replays: outlets deduplicate on it.', max_length=128)),
                ('status', fields.CharEnumField(description='PENDING: PENDING\nDELIVERING: DELIVERING\nDELIVERED: DELIVERED\nRETRYING: RETRYING\nFAILED: FAILED\nSUPERSEDED: SUPERSEDED', enum_type=DeliveryStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('external_id', fields.CharField(null=True, max_length=255)),
                ('lease_owner', fields.CharField(null=True, max_length=64)),
                ('lease_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('item', fields.JSONField(description='The RebuttalItem this delivery announces (JSON).', encoder=JSON_DUMPS, decoder=loads)),
                ('payload', fields.JSONField(null=True, description='The rendered OutletMessage, frozen before the first send: retries send identical bytes.', encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'delivery', 'app': 'models', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['rebuttal_id', 'connector', 'id']), Index(fields=['connector', 'id'])], 'pk_attr': 'id', 'table_description': 'A message to one outlet, written in the same transaction as the publish it announces.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Event',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED', enum_type=EventType, max_length=40),
        ),
        ops.AddField(
            model_name='Event',
            name='delivery_id',
            field=fields.BigIntField(null=True),
        ),
    ]
