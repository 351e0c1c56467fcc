"""Scheduled publication: a rebuttal's SCHEDULED status, when it is due and who scheduled it,
and the events REBUTTAL_SCHEDULED and REBUTTAL_UNSCHEDULED.

Statuses and event types are varchars holding the member's name, so only the migration state
of those columns changes (an AlterField would make SQLite rebuild the tables)."""

from tortoise import migrations
from coordhub.migration_operations import AlterFieldState
from tortoise.migrations import operations as ops
from coordhub.models.events import EventType
from coordhub.models.rebuttals import RebuttalStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0019_correction_requests')]

    initial = False

    operations = [
        AlterFieldState(
            model_name='Event',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nCLAIM_APPEARANCE_ADDED: CLAIM_APPEARANCE_ADDED\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_SCHEDULED: REBUTTAL_SCHEDULED\nREBUTTAL_UNSCHEDULED: REBUTTAL_UNSCHEDULED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED\nCORRECTION_REQUESTED: CORRECTION_REQUESTED\nCORRECTION_ANSWERED: CORRECTION_ANSWERED\nCORRECTION_REJECTED: CORRECTION_REJECTED', enum_type=EventType, max_length=40),
        ),
        AlterFieldState(
            model_name='PendingEvent',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nCLAIM_APPEARANCE_ADDED: CLAIM_APPEARANCE_ADDED\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_SCHEDULED: REBUTTAL_SCHEDULED\nREBUTTAL_UNSCHEDULED: REBUTTAL_UNSCHEDULED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED\nCORRECTION_REQUESTED: CORRECTION_REQUESTED\nCORRECTION_ANSWERED: CORRECTION_ANSWERED\nCORRECTION_REJECTED: CORRECTION_REJECTED', enum_type=EventType, max_length=40),
        ),
        AlterFieldState(
            model_name='Rebuttal',
            name='status',
            field=fields.CharEnumField(db_index=True, description='DRAFT: DRAFT\nIN_REVIEW: IN_REVIEW\nCHANGES_REQUESTED: CHANGES_REQUESTED\nAPPROVED: APPROVED\nSCHEDULED: SCHEDULED\nPUBLISHED: PUBLISHED\nRETRACTED: RETRACTED', enum_type=RebuttalStatus, max_length=24),
        ),
        ops.AddField(
            model_name='Rebuttal',
            name='publish_at',
            field=fields.DatetimeField(null=True, db_index=True, description='While SCHEDULED: when the worker publishes the working copy, and who asked for it.', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Rebuttal',
            name='scheduled_by',
            field=fields.ForeignKeyField('models.Account', source_field='scheduled_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
    ]
