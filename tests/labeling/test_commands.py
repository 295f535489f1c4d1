import json

import pytest
from django.core.management import CommandError, call_command

from labeling.models import ItemSet, LabelingRun

pytestmark = pytest.mark.django_db


def test_import_items_command_imports_and_reports_bad_lines(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps({"prompt": f"q{n}", "response": "r"}) for n in range(3)))
    call_command("import_items", str(good), "--name", "cli")
    assert "Imported 3 items" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("prompt,response\nhello,\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_items", str(bad))
    assert "bad.csv: line 2: response must be non-empty text" in str(caught.value)
    assert list(ItemSet.objects.values_list("name", flat=True)) == ["cli"]


def test_label_command_queues_a_run(published, pairs, tiny_critic, capsys):
    call_command(
        "label", "--constitution-version", str(published.pk), "--item-set", str(pairs.pk), "--task",
        "preference", "--critic", str(tiny_critic.pk), "--selection", "code",
        "--selection-value", "HON-01", "--limit", "5",
    )  # fmt: skip
    run = LabelingRun.objects.get()
    assert (run.total_units, run.status) == (5, "queued")
    assert f"Run {run.pk}: 5 labels" in capsys.readouterr().out


def test_label_command_explains_a_refusal(draft, pairs, tiny_critic):
    with pytest.raises(CommandError, match="published"):
        call_command(
            "label", "--constitution-version", str(draft.pk), "--item-set", str(pairs.pk), "--task",
            "preference", "--critic", str(tiny_critic.pk),
        )  # fmt: skip
