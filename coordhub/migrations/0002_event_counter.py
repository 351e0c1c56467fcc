from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    """Seed the counter row that gives events their commit-ordered sequence numbers."""

    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.RunSQL(
            "INSERT INTO counter (name, value) VALUES ('events', 0)",
            reverse_sql="DELETE FROM counter WHERE name = 'events'",
        ),
    ]
