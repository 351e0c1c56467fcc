"""Correction requests from readers (``coordhub.models.corrections``), and their events.

The event types are a varchar holding the type's name, so only the migration state of
``Event.type`` and ``PendingEvent.type`` changes: an AlterField would make SQLite rebuild the
event table, the largest there is, to change nothing."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from coordhub.migration_operations import AlterFieldState
from coordhub.models.corrections import CorrectionOutcome, CorrectionStatus
from coordhub.models.events import EventType
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0018_claim_similarity_gist')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CorrectionRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rebuttal', fields.ForeignKeyField('models.Rebuttal', source_field='rebuttal_id', db_constraint=True, to_field='id', related_name='correction_requests', on_delete=OnDelete.RESTRICT)),
                ('revision', fields.IntField(description='The live revision when the request was sent (what the reader read).')),
                ('language', fields.CharField(description='The language the reader wrote in (``km`` or ``en``): the page they sent it from.', max_length=2)),
                ('text', fields.TextField(unique=False)),
                ('source_url', fields.CharField(null=True, max_length=2048)),
                ('status', fields.CharEnumField(db_index=True, description='OPEN: OPEN\nANSWERED: ANSWERED\nREJECTED: REJECTED', enum_type=CorrectionStatus, max_length=16)),
                ('outcome', fields.CharEnumField(null=True, description='CORRECTED: CORRECTED\nUPHELD: UPHELD', enum_type=CorrectionOutcome, max_length=16)),
                ('answer_km', fields.TextField(null=True, unique=False)),
                ('answer_en', fields.TextField(null=True, unique=False)),
                ('rejection_note', fields.TextField(null=True, description='Why a request was set aside (abuse, spam, personal data): recorded, never public.', unique=False)),
                ('answered_by', fields.ForeignKeyField('models.Account', source_field='answered_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'correction_request', 'app': 'models', 'indexes': [Index(fields=['rebuttal_id', 'status'])], 'pk_attr': 'id', 'table_description': "One reader's request to correct a published rebuttal."},
            bases=['Model'],
        ),
        AlterFieldState(
            model_name='Event',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nCLAIM_APPEARANCE_ADDED: CLAIM_APPEARANCE_ADDED\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED\nCORRECTION_REQUESTED: CORRECTION_REQUESTED\nCORRECTION_ANSWERED: CORRECTION_ANSWERED\nCORRECTION_REJECTED: CORRECTION_REJECTED', enum_type=EventType, max_length=40),
        ),
        AlterFieldState(
            model_name='PendingEvent',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nCLAIM_APPEARANCE_ADDED: CLAIM_APPEARANCE_ADDED\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED\nCORRECTION_REQUESTED: CORRECTION_REQUESTED\nCORRECTION_ANSWERED: CORRECTION_ANSWERED\nCORRECTION_REJECTED: CORRECTION_REJECTED', enum_type=EventType, max_length=40),
        ),
    ]
