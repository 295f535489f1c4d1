"""A small world for the API tests: one of everything the API lists, owned by a staff admin
who calls the API with a token."""

import pytest
from rest_framework.authtoken.models import Token

from constitutions import services as constitution_services
from labeling.models import CritiqueLabel, Item, LabelingRun
from redteam.models import Matchup, Run
from tests.dashboards.conftest import audited  # noqa: F401
from tests.factories import UserFactory
from tests.redteam.factories import make_judged_run
from tests.reviews.conftest import lead, population, reviewers  # noqa: F401
from training.models import DatasetSnapshot
from training.services.jobs import job_create
from training.services.snapshots import snapshot_create


@pytest.fixture
def admin(db):
    user = UserFactory(username="admin")
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


@pytest.fixture
def admin_token(admin) -> str:
    return Token.objects.create(user=admin).key


@pytest.fixture
def api_world(settings, tmp_path, admin, editor, published, audited):  # noqa: F811
    """A published version with a release tag and a forked draft, an audited preference sample
    with its queue and gold labels, a critique, two red-team runs (one judged) and a matchup
    between them, a snapshot and a training job."""
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    settings.TRAINING_DIR = tmp_path / "training"
    constitution_services.release_tag_add(actor=editor, version=published, name="assistant-1")
    constitution_services.version_fork(actor=editor, version=published)
    run = make_judged_run(published, cases=6)
    baseline = Run.objects.create(
        suite=run.suite, constitution_version=published, target=run.target, judge=run.judge,
        temperatures=[0.0], status=Run.Status.DONE,
    )  # fmt: skip
    Matchup.objects.create(
        run_x=run, run_y=baseline, judge=run.judge, status=Matchup.Status.DONE,
        judgments=[{"case": "RT-000", "principle": "HARM-01", "p_x_first": 0.8, "p_x_second": 0.6}],
    )  # fmt: skip
    item = Item.objects.first()
    CritiqueLabel.objects.create(
        run=LabelingRun.objects.first(), item=item, principle_code="HARM-01", model_id="tiny",
        critique="It <b>helps</b>.", revision="A safer answer.",
    )  # fmt: skip
    snapshot = snapshot_create(
        actor=None, name="prefs", fmt=DatasetSnapshot.Format.PREFERENCE, policy="gold_overrides"
    )
    job_create(actor=None, snapshot=snapshot, method="dpo", enqueue=False)
    return {"snapshot": snapshot}
