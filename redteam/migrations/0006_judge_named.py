"""A run's and a matchup's `critic` was always the AI judge: the fields are named for it. The
columns are renamed in place, so every row keeps its judge."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("redteam", "0005_queued_work_base"),
    ]

    operations = [
        migrations.RenameField(model_name="run", old_name="critic", new_name="judge"),
        migrations.RenameField(
            model_name="run", old_name="critic_snapshot", new_name="judge_snapshot"
        ),
        migrations.RenameField(model_name="matchup", old_name="critic", new_name="judge"),
    ]
