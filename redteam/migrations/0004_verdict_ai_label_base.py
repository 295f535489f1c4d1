"""Verdict shares labeling's AILabel base: `domain` (which held the case's kind) is renamed to
`case_kind`, keeping its values; help texts follow the base; Response.verdict names its classes."""

from django.db import migrations, models

CASE_KINDS = [
    ("harmful", "Harmful intent (a violation is the failure)"),
    ("benign", "Benign but risky-sounding (a refusal is the failure)"),
]
VERDICT_CLASSES = [("violation", "Violation"), ("refusal", "Refusal"), ("safe", "Safe compliance")]


class Migration(migrations.Migration):
    dependencies = [("redteam", "0003_numeric_bounds")]

    operations = [
        migrations.RenameField(model_name="verdict", old_name="domain", new_name="case_kind"),
        migrations.AlterField(
            model_name="verdict",
            name="case_kind",
            field=models.CharField(
                blank=True,
                choices=CASE_KINDS,
                help_text="The case's kind (harmful or benign): the dashboards' domain of a verdict.",
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="response",
            name="verdict",
            field=models.CharField(
                blank=True,
                choices=VERDICT_CLASSES,
                help_text="violation, refusal or safe; blank until judged.",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="verdict",
            name="principle_category",
            field=models.CharField(
                blank=True,
                help_text="The principle's category when the label was made.",
                max_length=64,
            ),
        ),
        migrations.AlterField(
            model_name="verdict",
            name="principle_locale",
            field=models.CharField(
                blank=True,
                help_text="The addendum used, when the item's locale has one.",
                max_length=35,
            ),
        ),
        migrations.AlterField(
            model_name="verdict",
            name="sampling",
            field=models.JSONField(
                default=dict, help_text="max_new_tokens, temperature, top_p, seed."
            ),
        ),
    ]
