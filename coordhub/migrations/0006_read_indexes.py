from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_token_revoked_event')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Appearance',
            index=Index(fields=['claim_id', 'seen_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Evidence',
            index=Index(fields=['revision_id', 'position']),
        ),
        ops.AddIndex(
            model_name='Review',
            index=Index(fields=['rebuttal_id', 'id']),
        ),
    ]
