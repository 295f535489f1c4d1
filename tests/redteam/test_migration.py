"""Runs and matchups made while the judge was called `critic` keep their judge."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.redteam.factories import make_judged_run

BEFORE = [("redteam", "0005_queued_work_base")]
AFTER = [("redteam", "0006_judge_named")]


@pytest.fixture
def latest_schema_after():
    """The test migrates back in time; put the schema back so later tests see every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_renaming_critic_to_judge_keeps_every_runs_judge(published, latest_schema_after):
    from redteam.models import Matchup

    run = make_judged_run(published, cases=1)
    run.judge_snapshot = {"model": "tiny"}
    run.save(update_fields=["judge_snapshot"])
    matchup = Matchup.objects.create(run_x=run, run_y=run, judge=run.judge)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("redteam", "Run").objects.get(pk=run.pk).critic_id == run.judge_id
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("redteam", "Run").objects.get(pk=run.pk)
    assert (moved.judge_id, moved.judge_snapshot) == (run.judge_id, run.judge_snapshot)
    assert new.get_model("redteam", "Matchup").objects.get(pk=matchup.pk).judge_id == run.judge_id
