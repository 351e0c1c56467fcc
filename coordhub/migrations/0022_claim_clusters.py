"""Claim clusters (``coordhub.workflow.clusters``): related claims linked without merging
them, each claim's ``cluster_id`` (added in place, keeping SQLite's text search triggers), and
the events CLAIM_LINKED and CLAIM_UNLINKED."""

from tortoise import migrations
from coordhub.migration_operations import AddColumnInPlace, AlterFieldState
from tortoise.migrations import operations as ops
from coordhub.models.events import EventType
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0021_claim_alerts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ClaimCluster',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'claim_cluster', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Claims linked as related (``coordhub.workflow.clusters``).'},
            bases=['Model'],
        ),
        AddColumnInPlace(
            table='claim',
            types={
                # SQLite drops no column a foreign key constraint names: a plain integer there.
                'sqlite': 'INT',
                'postgres': 'INT REFERENCES "claim_cluster" ("id") ON DELETE SET NULL',
            },
            column='cluster_id',
            model_name='Claim',
            name='cluster',
            field=fields.ForeignKeyField('models.ClaimCluster', source_field='cluster_id', null=True, description='Related claims (the same rumour told differently, answered by several institutions),', db_constraint=True, to_field='id', related_name='claims', on_delete=OnDelete.SET_NULL),
        ),
        AlterFieldState(
            model_name='Event',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nCLAIM_APPEARANCE_ADDED: CLAIM_APPEARANCE_ADDED\nCLAIM_LINKED: CLAIM_LINKED\nCLAIM_UNLINKED: CLAIM_UNLINKED\nCLAIM_DUE_SOON: CLAIM_DUE_SOON\nCLAIM_OVERDUE: CLAIM_OVERDUE\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_SCHEDULED: REBUTTAL_SCHEDULED\nREBUTTAL_UNSCHEDULED: REBUTTAL_UNSCHEDULED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED\nCORRECTION_REQUESTED: CORRECTION_REQUESTED\nCORRECTION_ANSWERED: CORRECTION_ANSWERED\nCORRECTION_REJECTED: CORRECTION_REJECTED', enum_type=EventType, max_length=40),
        ),
        AlterFieldState(
            model_name='PendingEvent',
            name='type',
            field=fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nCLAIM_APPEARANCE_ADDED: CLAIM_APPEARANCE_ADDED\nCLAIM_LINKED: CLAIM_LINKED\nCLAIM_UNLINKED: CLAIM_UNLINKED\nCLAIM_DUE_SOON: CLAIM_DUE_SOON\nCLAIM_OVERDUE: CLAIM_OVERDUE\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_SCHEDULED: REBUTTAL_SCHEDULED\nREBUTTAL_UNSCHEDULED: REBUTTAL_UNSCHEDULED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED\nDELIVERY_DELIVERED: DELIVERY_DELIVERED\nDELIVERY_RETRYING: DELIVERY_RETRYING\nDELIVERY_FAILED: DELIVERY_FAILED\nDELIVERY_REQUEUED: DELIVERY_REQUEUED\nCONNECTOR_DISABLED: CONNECTOR_DISABLED\nCONNECTOR_ENABLED: CONNECTOR_ENABLED\nTOKEN_REVOKED: TOKEN_REVOKED\nINSTITUTION_ADDED: INSTITUTION_ADDED\nCORRECTION_REQUESTED: CORRECTION_REQUESTED\nCORRECTION_ANSWERED: CORRECTION_ANSWERED\nCORRECTION_REJECTED: CORRECTION_REJECTED', enum_type=EventType, max_length=40),
        ),
    ]
