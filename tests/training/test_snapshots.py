"""Dataset snapshots from audited labels: policies, formats, provenance, hashing, safety."""

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from datasets import load_dataset
from django.core.exceptions import PermissionDenied

from cai_audit.errors import DomainError
from labeling.filters import LabelFilter
from labeling.models import CritiqueLabel, PreferenceLabel
from reviews.models import GoldLabel
from tests.dashboards.conftest import audited, lead, reviewers  # noqa: F401
from training.services.snapshots import snapshot_create, snapshot_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    return settings.SNAPSHOT_DIR


def rows_of(snapshot, name=None) -> list[dict]:
    path = snapshot_path(snapshot, name or snapshot.data_file)
    return [json.loads(line) for line in path.read_text().splitlines()]


def gold_by_label() -> dict:
    return {g.sampled_label.label_id: g for g in GoldLabel.objects.select_related("sampled_label")}


def test_gold_overrides_the_ai_and_every_row_keeps_its_provenance(audited, researcher):  # noqa: F811
    snapshot = snapshot_create(
        actor=researcher, name="dpo", fmt="preference", policy="gold_overrides"
    )
    rows, provenance = rows_of(snapshot), rows_of(snapshot, "provenance.jsonl")
    assert len(rows) == len(provenance) == snapshot.rows
    golds = gold_by_label()
    labels = PreferenceLabel.objects.select_related("item").in_bulk()
    expected = sum(
        1 for label in labels.values()
        if (golds[label.pk].preference in ("A", "B") if label.pk in golds else label.choice in "AB")
    )  # fmt: skip
    assert snapshot.rows == expected
    for row, origin in zip(rows, provenance, strict=True):
        label = labels[origin["label_id"]]
        decided = golds[label.pk].preference if label.pk in golds else label.choice
        assert origin["source"] == ("gold" if label.pk in golds else "ai")
        winner = label.item.response_a if decided == "A" else label.item.response_b
        assert set(row) == {"prompt", "chosen", "rejected"}
        assert row["chosen"] == [{"role": "assistant", "content": winner}]
        assert row["prompt"] == label.item.prompt
        assert origin["principle_code"] == label.principle_code
    assert snapshot.stats["label_sources"]["gold"] == sum(
        1 for g in golds.values() if g.preference in ("A", "B")
    )


def test_the_other_policies(audited, researcher):  # noqa: F811
    golds = gold_by_label()
    dropped = snapshot_create(
        actor=researcher, name="d", fmt="preference_plain", policy="drop_disagreements"
    )
    kept = {p["label_id"] for p in rows_of(dropped, "provenance.jsonl")}
    assert not kept & {pk for pk, g in golds.items() if not g.ai_correct}
    only = snapshot_create(actor=researcher, name="a", fmt="preference", policy="audited_only")
    assert {p["label_id"] for p in rows_of(only, "provenance.jsonl")} == {
        pk for pk, g in golds.items() if g.preference in ("A", "B")
    }
    sure = snapshot_create(
        actor=researcher, name="c", fmt="kto", policy="ai_confident", min_confidence=0.8
    )
    confident = PreferenceLabel.objects.filter(confidence__gte=0.8, choice__in=["A", "B"])
    assert sure.rows == 2 * confident.count()
    assert {row["label"] for row in rows_of(sure)} == {True, False}


def test_every_format_loads_with_datasets_and_the_card_points_at_the_data(
    audited,  # noqa: F811
    researcher,
):
    for fmt, columns in (
        ("preference", {"prompt", "chosen", "rejected"}),
        ("preference_plain", {"prompt", "chosen", "rejected"}),
        ("kto", {"prompt", "completion", "label"}),
    ):
        snapshot = snapshot_create(actor=researcher, name=fmt, fmt=fmt, policy="gold_overrides")
        folder = snapshot_path(snapshot, "README.md").parent
        data = load_dataset("json", data_files=str(folder / snapshot.data_file), split="train")
        assert set(data.column_names) == columns and len(data) == snapshot.rows
        # The card's YAML names the data file: loading the folder skips provenance.jsonl.
        assert len(load_dataset(str(folder), split="train")) == snapshot.rows
        card = (folder / "README.md").read_text()
        assert snapshot.sha256 in card and "Of the 24 labels here that humans audited" in card
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["sha256"] == snapshot.sha256 and manifest["code_version"]


def test_audit_records_in_parquet_and_csv_with_formulas_neutralised(audited, researcher):  # noqa: F811
    label = PreferenceLabel.objects.select_related("item").first()
    label.item.response_a = '=HYPERLINK("http://x")'
    label.item.save(update_fields=["response_a"])
    parquet = snapshot_create(
        actor=researcher, name="p", fmt="audit_parquet", policy="gold_overrides",
        label_kind="preference",
    )  # fmt: skip
    table = pq.read_table(snapshot_path(parquet, "data.parquet")).to_pandas()
    loaded = load_dataset("parquet", data_files=str(snapshot_path(parquet, "data.parquet")))
    assert len(loaded["train"]) == len(table)
    assert len(table) == PreferenceLabel.objects.count() == parquet.rows
    assert table["gold_ai_correct"].notna().sum() == GoldLabel.objects.count()
    assert set(table["policy_source"]) <= {"gold", "ai", ""}
    csv_snapshot = snapshot_create(
        actor=researcher, name="c", fmt="audit_csv", policy="gold_overrides",
        label_kind="preference",
    )  # fmt: skip
    with open(snapshot_path(csv_snapshot, "data.csv"), newline="") as handle:
        rows = {int(row["label_id"]): row for row in csv.DictReader(handle)}
    assert rows[label.pk]["response_a"] == '\'=HYPERLINK("http://x")'
    assert len(
        load_dataset("csv", data_files=str(snapshot_path(csv_snapshot, "data.csv")))["train"]
    ) == len(rows)


def test_same_labels_same_hash_and_files_are_complete(audited, researcher, snapshot_dir):  # noqa: F811
    first = snapshot_create(actor=researcher, name="x", fmt="preference", policy="gold_overrides")
    second = snapshot_create(actor=researcher, name="y", fmt="preference", policy="gold_overrides")
    assert first.sha256 == second.sha256 and first.folder != second.folder
    assert not list(Path(snapshot_dir).glob(".partial-*"))
    narrowed = snapshot_create(
        actor=researcher, name="z", fmt="preference", policy="gold_overrides",
        where=LabelFilter(principle_codes=("HON-01",)),
    )  # fmt: skip
    assert narrowed.sha256 != first.sha256
    assert set(narrowed.stats["principles"]) == {"HON-01"}


def test_refusals_leave_nothing_behind(audited, reviewers, researcher, snapshot_dir):  # noqa: F811
    with pytest.raises(PermissionDenied):
        snapshot_create(actor=reviewers[0], name="x", fmt="preference", policy="gold_overrides")
    with pytest.raises(DomainError, match="No labels match"):
        snapshot_create(
            actor=researcher, name="x", fmt="preference", policy="gold_overrides",
            where=LabelFilter(principle_codes=("NOPE-01",)),
        )  # fmt: skip
    with pytest.raises(DomainError, match="no confidence"):
        snapshot_create(
            actor=researcher, name="x", fmt="sft_messages", policy="ai_confident",
            min_confidence=0.5,
        )  # fmt: skip
    with pytest.raises(DomainError, match="needs a label kind"):
        snapshot_create(actor=researcher, name="x", fmt="audit_csv", policy="gold_overrides")
    assert not list(Path(snapshot_dir).iterdir()) if Path(snapshot_dir).exists() else True
    assert not CritiqueLabel.objects.exists()
