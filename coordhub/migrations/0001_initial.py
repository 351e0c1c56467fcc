from tortoise import migrations
from tortoise.migrations import operations as ops
from coordhub.models.accounts import Role
from coordhub.models.claims import ClaimStatus, DismissalReason, Priority
from coordhub.models.events import EventType
from coordhub.models.institutions import InstitutionKind
from coordhub.models.rebuttals import RebuttalStatus, ReviewDecision, Verdict
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Counter',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('value', fields.BigIntField(default=0)),
            ],
            options={'table': 'counter', 'app': 'models', 'pk_attr': 'name', 'table_description': 'A named counter row - incrementing it inside a transaction serialises writers.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Event',
            fields=[
                ('seq', fields.BigIntField(primary_key=True, generated=False, unique=True, db_index=True)),
                ('type', fields.CharEnumField(description='CLAIM_REPORTED: CLAIM_REPORTED\nCLAIM_TRIAGED: CLAIM_TRIAGED\nCLAIM_DISMISSED: CLAIM_DISMISSED\nCLAIM_MERGED: CLAIM_MERGED\nCLAIM_REBUTTED: CLAIM_REBUTTED\nCLAIM_REOPENED: CLAIM_REOPENED\nREBUTTAL_DRAFTED: REBUTTAL_DRAFTED\nREBUTTAL_UPDATED: REBUTTAL_UPDATED\nREBUTTAL_SUBMITTED: REBUTTAL_SUBMITTED\nREBUTTAL_APPROVED: REBUTTAL_APPROVED\nREBUTTAL_CHANGES_REQUESTED: REBUTTAL_CHANGES_REQUESTED\nREBUTTAL_PUBLISHED: REBUTTAL_PUBLISHED\nREBUTTAL_REVISION_OPENED: REBUTTAL_REVISION_OPENED\nREBUTTAL_RETRACTED: REBUTTAL_RETRACTED', enum_type=EventType, max_length=40)),
                ('claim_id', fields.IntField(null=True, db_index=True)),
                ('rebuttal_id', fields.IntField(null=True, db_index=True)),
                ('scope', fields.CharField(default='|', description='Slugs of the institutions the event concerns, as "|moi|health|" (portable LIKE filter).', max_length=1024)),
                ('actor_id', fields.IntField(null=True)),
                ('actor_role', fields.CharField(null=True, max_length=16)),
                ('actor_institution', fields.CharField(null=True, max_length=64)),
                ('public', fields.BooleanField(default=False, description='Whether anyone, without a token, may read this event.')),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('payload', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'event', 'app': 'models', 'pk_attr': 'seq', 'table_description': 'One recorded state change. ``seq`` is commit-ordered (see ``coordhub.events.log``).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Institution',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=64)),
                ('name_km', fields.CharField(max_length=255)),
                ('name_en', fields.CharField(max_length=255)),
                ('kind', fields.CharEnumField(description='COORDINATOR: COORDINATOR\nMINISTRY: MINISTRY\nSTATE_INSTITUTION: STATE_INSTITUTION', enum_type=InstitutionKind, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'institution', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A ministry or state institution - the Ministry of Information has kind COORDINATOR.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Account',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('role', fields.CharEnumField(description='COORDINATOR: COORDINATOR\nEDITOR: EDITOR\nAPPROVER: APPROVER\nREPORTER: REPORTER\nOBSERVER: OBSERVER\nSERVICE: SERVICE', enum_type=Role, max_length=16)),
                ('institution', fields.ForeignKeyField('models.Institution', source_field='institution_id', null=True, db_constraint=True, to_field='id', related_name='accounts', on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'account', 'app': 'models', 'pk_attr': 'id', 'table_description': "A person's desk or a system that holds tokens."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Claim',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('summary_km', fields.TextField(unique=False)),
                ('summary_en', fields.TextField(unique=False)),
                ('topic', fields.CharField(db_index=True, max_length=64)),
                ('status', fields.CharEnumField(db_index=True, description='REPORTED: REPORTED\nTRIAGED: TRIAGED\nIN_PROGRESS: IN_PROGRESS\nREBUTTED: REBUTTED\nDISMISSED: DISMISSED\nMERGED: MERGED', enum_type=ClaimStatus, max_length=16)),
                ('priority', fields.CharEnumField(default=Priority.NORMAL, description='LOW: LOW\nNORMAL: NORMAL\nHIGH: HIGH\nCRITICAL: CRITICAL', enum_type=Priority, max_length=16)),
                ('first_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reported_by', fields.ForeignKeyField('models.Account', source_field='reported_by_id', null=True, db_constraint=True, to_field='id', related_name='reported_claims', on_delete=OnDelete.SET_NULL)),
                ('lead_institution', fields.ForeignKeyField('models.Institution', source_field='lead_institution_id', null=True, db_constraint=True, to_field='id', related_name='led_claims', on_delete=OnDelete.RESTRICT)),
                ('due_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('triaged_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('rebutted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('dismissal_reason', fields.CharEnumField(null=True, description='ACCURATE: ACCURATE\nNOT_NEWS: NOT_NEWS\nOUT_OF_SCOPE: OUT_OF_SCOPE\nINSUFFICIENT_REACH: INSUFFICIENT_REACH', enum_type=DismissalReason, max_length=32)),
                ('dismissal_note_km', fields.TextField(null=True, unique=False)),
                ('dismissal_note_en', fields.TextField(null=True, unique=False)),
                ('dismissed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('merged_into', fields.ForeignKeyField('models.Claim', source_field='merged_into_id', null=True, db_constraint=True, to_field='id', related_name='merged_claims', on_delete=OnDelete.RESTRICT)),
                ('public', fields.BooleanField(default=False, db_index=True, description='Set once a rebuttal is published or the claim is dismissed, and never unset.')),
                ('search_text', fields.TextField(description='NFC-normalised, case-folded text that substring search runs over (Khmer has no spaces).', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'claim', 'app': 'models', 'indexes': [Index(fields=['lead_institution_id', 'id']), Index(fields=['priority', 'id'])], 'pk_attr': 'id', 'table_description': 'A circulating item of news reported to the working group.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Appearance',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('claim', fields.ForeignKeyField('models.Claim', source_field='claim_id', db_constraint=True, to_field='id', related_name='appearances', on_delete=OnDelete.CASCADE)),
                ('url', fields.CharField(max_length=2048)),
                ('outlet', fields.CharField(max_length=200)),
                ('seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'appearance', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Where a claim was seen: an address, an outlet or platform and a time - never a person.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ClaimSupport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('claim', fields.ForeignKeyField('models.Claim', source_field='claim_id', db_constraint=True, to_field='id', related_name='supports', on_delete=OnDelete.CASCADE)),
                ('institution', fields.ForeignKeyField('models.Institution', source_field='institution_id', db_constraint=True, to_field='id', related_name='supported_claims', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'claim_support', 'app': 'models', 'unique_together': (('claim', 'institution'),), 'indexes': [Index(fields=['institution_id', 'claim_id'])], 'pk_attr': 'id', 'table_description': 'A supporting institution of a claim (the lead one is on the claim itself).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Rebuttal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('claim', fields.ForeignKeyField('models.Claim', source_field='claim_id', db_constraint=True, to_field='id', related_name='rebuttals', on_delete=OnDelete.RESTRICT)),
                ('institution', fields.ForeignKeyField('models.Institution', source_field='institution_id', db_constraint=True, to_field='id', related_name='rebuttals', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(db_index=True, description='DRAFT: DRAFT\nIN_REVIEW: IN_REVIEW\nCHANGES_REQUESTED: CHANGES_REQUESTED\nAPPROVED: APPROVED\nPUBLISHED: PUBLISHED\nRETRACTED: RETRACTED', enum_type=RebuttalStatus, max_length=24)),
                ('verdict', fields.CharEnumField(description='FALSE: FALSE\nMISLEADING: MISLEADING\nMISSING_CONTEXT: MISSING_CONTEXT\nUNSUPPORTED: UNSUPPORTED\nACCURATE: ACCURATE', enum_type=Verdict, max_length=24)),
                ('headline_km', fields.TextField(unique=False)),
                ('headline_en', fields.TextField(unique=False)),
                ('body_km', fields.TextField(unique=False)),
                ('body_en', fields.TextField(unique=False)),
                ('evidence', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('channels', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('draft_authors', fields.JSONField(default=list, description='Accounts that edited the working copy since the last publication - none may approve it.', encoder=JSON_DUMPS, decoder=loads)),
                ('created_by', fields.ForeignKeyField('models.Account', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('live_revision', fields.IntField(null=True)),
                ('live_verdict', fields.CharEnumField(null=True, description='FALSE: FALSE\nMISLEADING: MISLEADING\nMISSING_CONTEXT: MISSING_CONTEXT\nUNSUPPORTED: UNSUPPORTED\nACCURATE: ACCURATE', enum_type=Verdict, max_length=24)),
                ('published_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('retracted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('retraction_reason', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'rebuttal', 'app': 'models', 'indexes': [Index(fields=['claim_id', 'id']), Index(fields=['institution_id', 'id'])], 'pk_attr': 'id', 'table_description': "An institution's answer to a claim - the draft fields are the working copy."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RebuttalRevision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rebuttal', fields.ForeignKeyField('models.Rebuttal', source_field='rebuttal_id', db_constraint=True, to_field='id', related_name='revisions', on_delete=OnDelete.RESTRICT)),
                ('number', fields.IntField()),
                ('verdict', fields.CharEnumField(description='FALSE: FALSE\nMISLEADING: MISLEADING\nMISSING_CONTEXT: MISSING_CONTEXT\nUNSUPPORTED: UNSUPPORTED\nACCURATE: ACCURATE', enum_type=Verdict, max_length=24)),
                ('headline_km', fields.TextField(unique=False)),
                ('headline_en', fields.TextField(unique=False)),
                ('body_km', fields.TextField(unique=False)),
                ('body_en', fields.TextField(unique=False)),
                ('channels', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('approved_by', fields.ForeignKeyField('models.Account', source_field='approved_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('published_by', fields.ForeignKeyField('models.Account', source_field='published_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'rebuttal_revision', 'app': 'models', 'unique_together': (('rebuttal', 'number'),), 'pk_attr': 'id', 'table_description': 'A published, immutable version of a rebuttal.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Evidence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('revision', fields.ForeignKeyField('models.RebuttalRevision', source_field='revision_id', db_constraint=True, to_field='id', related_name='evidence', on_delete=OnDelete.RESTRICT)),
                ('position', fields.IntField()),
                ('url', fields.CharField(max_length=2048)),
                ('title', fields.CharField(max_length=500)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'evidence', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A source supporting a published revision.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Review',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rebuttal', fields.ForeignKeyField('models.Rebuttal', source_field='rebuttal_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.CASCADE)),
                ('round', fields.IntField()),
                ('reviewer', fields.ForeignKeyField('models.Account', source_field='reviewer_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('decision', fields.CharEnumField(description='APPROVE: APPROVE\nREQUEST_CHANGES: REQUEST_CHANGES', enum_type=ReviewDecision, max_length=24)),
                ('comment', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'review', 'app': 'models', 'pk_attr': 'id', 'table_description': "An approver's decision on the working copy that would become revision ``round``."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Token',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('digest', fields.CharField(unique=True, max_length=64)),
                ('prefix', fields.CharField(max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'token', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A bearer token - only its SHA-256 digest is stored, the secret is shown once.'},
            bases=['Model'],
        ),
    ]
