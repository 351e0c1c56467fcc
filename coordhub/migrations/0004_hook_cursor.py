from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    """Seed the cursor of the observer-hook dispatcher (``coordhub.connectors.observers``)."""

    dependencies = [('models', '0003_deliveries')]

    initial = False

    operations = [
        ops.RunSQL(
            "INSERT INTO counter (name, value) VALUES ('hooks.published', 0)",
            reverse_sql="DELETE FROM counter WHERE name = 'hooks.published'",
        ),
    ]
