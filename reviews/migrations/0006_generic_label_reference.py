"""SampledLabel names its AI label generically, by kind (labeling.kinds) and id, instead of one
foreign key per kind, so that a new kind is one registration. Existing rows are carried over
(and back, on reverse). Review and GoldLabel gain `choice` for kinds registered later."""

from django.db import migrations, models
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce

import labeling.kinds

# Kind -> the foreign key that held a label of that kind before this migration.
FOREIGN_KEYS = {
    "preference": "preference_label",
    "critique": "critique_label",
    "verdict": "verdict",
}


def forwards(apps, schema_editor):
    SampledLabel = apps.get_model("reviews", "SampledLabel")
    SampledLabel.objects.update(
        kind=Case(
            *(
                When(**{f"{fk}__isnull": False}, then=Value(kind))
                for kind, fk in FOREIGN_KEYS.items()
            )
        ),
        label_id=Coalesce(*(f"{fk}_id" for fk in FOREIGN_KEYS.values())),
    )


def backwards(apps, schema_editor):
    SampledLabel = apps.get_model("reviews", "SampledLabel")
    for kind, fk in FOREIGN_KEYS.items():
        SampledLabel.objects.filter(kind=kind).update(**{f"{fk}_id": models.F("label_id")})


class Migration(migrations.Migration):
    dependencies = [
        ("constitutions", "0002_numeric_bounds"),
        ("labeling", "0005_numeric_bounds"),
        ("redteam", "0004_verdict_ai_label_base"),
        ("reviews", "0005_sample_draw_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="sampledlabel",
            name="kind",
            field=models.CharField(
                default="", help_text="The AI label's kind (labeling.kinds).", max_length=32
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sampledlabel",
            name="label_id",
            field=models.BigIntegerField(
                null=True, help_text="The AI label's id in its kind's table."
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="sampledlabel", name="sampled_preference_unique"),
        migrations.RemoveConstraint(model_name="sampledlabel", name="sampled_critique_unique"),
        migrations.RemoveConstraint(model_name="sampledlabel", name="sampled_verdict_unique"),
        migrations.RemoveConstraint(model_name="sampledlabel", name="sampled_label_one_kind"),
        # Reversed, this runs after the foreign keys are back and before their constraints are.
        migrations.RunPython(migrations.RunPython.noop, backwards),
        migrations.RemoveField(model_name="sampledlabel", name="critique_label"),
        migrations.RemoveField(model_name="sampledlabel", name="preference_label"),
        migrations.RemoveField(model_name="sampledlabel", name="verdict"),
        migrations.AlterField(
            model_name="sampledlabel",
            name="label_id",
            field=models.BigIntegerField(help_text="The AI label's id in its kind's table."),
        ),
        migrations.AddIndex(
            model_name="sampledlabel",
            index=models.Index(fields=["kind", "label_id"], name="reviews_sam_kind_614f0e_idx"),
        ),
        migrations.AddConstraint(
            model_name="sampledlabel",
            constraint=models.UniqueConstraint(
                fields=("sample", "kind", "label_id"), name="sampled_label_unique"
            ),
        ),
        migrations.AlterField(
            model_name="reviewsample",
            name="label_kind",
            field=models.CharField(
                choices=labeling.kinds.choices,
                help_text="The AI-label kind drawn (labeling.kinds).",
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="goldlabel",
            name="choice",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=32,
                help_text="For kinds registered later: the class decided (see Review.choice).",
            ),  # fmt: skip
        ),
        migrations.AddField(
            model_name="review",
            name="choice",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=32,
                help_text="For kinds registered later whose reviewers choose among classes: the "
                "class (labeling.kinds says which; preferences and red-team verdicts have their "
                "own fields).",
            ),  # fmt: skip
        ),
    ]
