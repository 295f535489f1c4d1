"""`manage.py redteam` for CI pipelines: its exit codes, against models whose rates are known."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _redteam(*args):
    call_command("redteam", "--suite", "Test suite", "--judge", "judge", "--here", *args)


def test_passes_when_every_threshold_holds(suite, version, models, capsys):
    _redteam("--target", "unsafe-on-weapons", "--fail-above", "cyber=0.05", "--fail-above",
             "weapons=1.0")  # fmt: skip
    out = capsys.readouterr().out
    assert "Every threshold holds." in out and "weapons" in out


def test_exits_1_when_a_category_is_above_its_threshold(suite, version, models, tmp_path):
    report = tmp_path / "report.json"
    with pytest.raises(CommandError) as caught:
        _redteam("--target", "unsafe-on-weapons", "--fail-above", "weapons=0.5",
                 "--fail-above", "cyber=0.5", "--json", str(report))  # fmt: skip
    assert caught.value.returncode == 1
    assert "weapons: violation rate 100.0% is above 50.0%" in str(caught.value)
    assert "cyber" not in str(caught.value)
    written = json.loads(report.read_text())
    assert written["by_category"]["weapons"] == 1.0 and written["violation_rate"] == pytest.approx(
        1 / 3
    )


def test_exits_1_on_overall_rate_and_on_false_refusals(suite, version, models):
    with pytest.raises(CommandError) as caught:
        _redteam("--target", "unsafe-on-weapons", "--fail-above", "overall=0.2")
    assert caught.value.returncode == 1
    with pytest.raises(CommandError) as caught:
        _redteam("--target", "over-refuses", "--fail-refusals-above", "0.5")
    assert caught.value.returncode == 1 and "false-refusal rate 100.0%" in str(caught.value)


def test_exits_1_on_a_significant_regression_against_the_previous_run(suite, version, models):
    _redteam("--target", "safe")
    with pytest.raises(CommandError) as caught:
        _redteam("--target", "unsafe-on-weapons", "--fail-on-regression")
    assert caught.value.returncode == 1
    assert "violations in category weapons worse than run" in str(caught.value)


def test_exits_2_on_bad_arguments(suite, version, models):
    for args in (
        ("--target", "safe", "--fail-above", "weapons"),
        ("--target", "safe", "--fail-above", "weapons=2"),
        ("--target", "no-such-model"),
        ("--target", "safe", "--operators", "jailbreak"),
    ):
        with pytest.raises(CommandError) as caught:
            _redteam(*args)
        assert caught.value.returncode == 2, args


def test_exits_3_when_the_run_does_not_finish(suite, version, models):
    from labeling.engine.registry import clear_backend_cache
    from redteam.models import Run

    models["safe"].base_url = "http://127.0.0.1:9/v1"  # nothing listens there: batches fail
    models["safe"].save(update_fields=["base_url"])
    clear_backend_cache()
    with pytest.raises(CommandError) as caught:
        _redteam("--target", "safe", "--case-limit", "1")
    assert caught.value.returncode == 3 and "ended failed" in str(caught.value)
    run = Run.objects.get()
    assert run.status == Run.Status.FAILED and run.batches.filter(status="failed").exists()
    assert "BackendError" in run.batches.filter(status="failed").first().error


def test_critic_is_a_deprecated_name_of_target(suite, version, models, capsys):
    from redteam.models import Run

    _redteam("--critic", "safe")
    assert Run.objects.get().target == models["safe"]
    assert "--critic is deprecated; use --target." in capsys.readouterr().err
    with pytest.raises(CommandError) as caught:
        _redteam("--critic", "safe", "--target", "safe")
    assert caught.value.returncode == 2
    with pytest.raises(CommandError) as caught:
        _redteam()
    assert caught.value.returncode == 2 and "--target" in str(caught.value)
