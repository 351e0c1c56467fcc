"""Claim alerts: when the worker next tells the institutions about a claim's due-by
(``Claim.next_alert_at``), the events CLAIM_DUE_SOON and CLAIM_OVERDUE, and the place in the
log of the hooks ``coordhub_claim_triaged`` and ``coordhub_claim_overdue``.

Claims already being worked on are told when they are overdue (their due-soon time is not
known to have passed unnoticed, so it is not made up). Event types are a varchar holding the
type's name, so only the migration state of the type columns changes. The column is added in
place, keeping the claim table's text search triggers on SQLite."""

from tortoise import migrations
from coordhub.migration_operations import AddColumnInPlace, AlterFieldState
from tortoise.migrations import operations as ops
from coordhub.models.events import EventType
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0020_scheduled_publication')]

    initial = False

    operations = [
        AddColumnInPlace(
            table='claim',
            types={'sqlite': 'TIMESTAMP', 'postgres': 'TIMESTAMPTZ'},
            model_name='Claim',
            name='next_alert_at',
            field=fields.DatetimeField(null=True, db_index=True, description='When the worker next tells the institutions about the due-by: CLAIM_DUE_SOON if before', auto_now=False, auto_now_add=False),
        ),
        AlterFieldState(
            model_name='Event',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nCLAIM_APPEARANCE_ADDED: CLAIM_APPEARANCE_ADDED\nCLAIM_DUE_SOON: CLAIM_DUE_SOON\nCLAIM_OVERDUE: CLAIM_OVERDUE\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_SCHEDULED: REBUTTAL_SCHEDULED\nREBUTTAL_UNSCHEDULED: REBUTTAL_UNSCHEDULED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED\nCORRECTION_REQUESTED: CORRECTION_REQUESTED\nCORRECTION_ANSWERED: CORRECTION_ANSWERED\nCORRECTION_REJECTED: CORRECTION_REJECTED', enum_type=EventType, max_length=40),
        ),
        AlterFieldState(
            model_name='PendingEvent',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nCLAIM_APPEARANCE_ADDED: CLAIM_APPEARANCE_ADDED\nCLAIM_DUE_SOON: CLAIM_DUE_SOON\nCLAIM_OVERDUE: CLAIM_OVERDUE\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_SCHEDULED: REBUTTAL_SCHEDULED\nREBUTTAL_UNSCHEDULED: REBUTTAL_UNSCHEDULED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED\nCORRECTION_REQUESTED: CORRECTION_REQUESTED\nCORRECTION_ANSWERED: CORRECTION_ANSWERED\nCORRECTION_REJECTED: CORRECTION_REJECTED', enum_type=EventType, max_length=40),
        ),
        ops.RunSQL(
            "UPDATE claim SET next_alert_at = due_at "
            "WHERE status IN ('TRIAGED', 'IN_PROGRESS') AND due_at IS NOT NULL",
            reverse_sql="SELECT 1",  # the column goes with the AddField's reversal
        ),
        # The place of coordhub_claim_triaged and coordhub_claim_overdue in the log: from now on.
        ops.RunSQL(
            "INSERT INTO counter (name, value) SELECT 'hooks.claims', COALESCE(MAX(seq), 0) FROM event",
            reverse_sql="DELETE FROM counter WHERE name = 'hooks.claims'",
        ),
    ]
