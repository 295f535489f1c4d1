"""Imported labels are exported like our own, plus who made them and where they came from."""

import csv
import json

import pytest

from ingest.services.imports import labels_import
from labeling.models import PreferenceLabel
from tests.reviews.conftest import make_labels
from training.services.snapshots import snapshot_create, snapshot_path

pytestmark = pytest.mark.django_db


def test_the_audit_export_names_the_judge_and_source_of_each_label(
    published, researcher, source, judge, settings, tmp_path
):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    ours = make_labels(published, 3)
    rows = [
        {"id": f"x{n}", "prompt": f"question {n}", "response_a": f"a {n}",
         "response_b": f"b {n}", "choice": "AB"[n % 2], "principle": "HARM-01"}
        for n in range(4)
    ]  # fmt: skip
    labels_import(
        actor=researcher, source=source, kind="preference", version=published,
        data="\n".join(json.dumps(row) for row in rows).encode(), filename="x.jsonl",
    )  # fmt: skip
    snapshot = snapshot_create(
        actor=researcher, name="all", fmt="audit_csv", policy="gold_overrides",
        label_kind="preference",
    )  # fmt: skip
    with open(snapshot_path(snapshot, "data.csv"), newline="") as handle:
        exported = {int(row["label_id"]): row for row in csv.DictReader(handle)}
    assert len(exported) == 7
    for label in PreferenceLabel.objects.select_related("run__critic"):
        row = exported[label.pk]
        if label.run_id == ours.pk:
            assert (row["labeled_by"], row["label_source"]) == (ours.critic.name, "")
        else:
            assert (row["labeled_by"], row["label_source"]) == (judge.name, source.key)
