import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cai_audit.demo import DEMO_LOGINS
from constitutions.demo import DEMO_NAME
from constitutions.models import Constitution, Principle

pytestmark = pytest.mark.django_db


def test_demo_loads_a_constitution_with_two_published_versions_and_role_logins(capsys):
    call_command("load_demo")
    call_command("load_demo")  # running it again changes nothing
    output = capsys.readouterr().out
    for login in DEMO_LOGINS:
        assert login.username in output and login.password in output
        assert get_user_model().objects.get(username=login.username).check_password(login.password)
    constitution = Constitution.objects.get(name=DEMO_NAME)
    versions = list(constitution.versions.order_by("number"))
    assert [v.status for v in versions] == ["published", "published"]
    latest = versions[-1]
    principles = Principle.objects.filter(version=latest)
    assert principles.filter(locale="").count() >= 12
    assert set(principles.values_list("category", flat=True)) == {
        "harmlessness",
        "honesty",
        "helpfulness",
    }
    assert principles.exclude(locale="").count() == 2
    assert all(v.tags.exists() for v in versions)
    assert Constitution.objects.count() == 1


def test_demo_users_have_their_roles():
    call_command("load_demo")
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["policy"].has_perm("constitutions.publish_constitution")
    assert not users["reviewer"].has_perm("constitutions.author_constitution")
    assert not users["researcher"].has_perm("constitutions.author_constitution")
    assert users["admin"].is_superuser


def test_demo_imports_the_shared_data_and_queues_two_runs():
    from labeling.models import ItemSet, LabelingRun

    call_command("load_demo")
    call_command("load_demo")
    sets = {s.name: s for s in ItemSet.objects.all()}
    assert len(sets) == 2
    pairs = next(s for name, s in sets.items() if "pairs" in name)
    assert pairs.items.filter(kind="pair").count() == 1000
    assert pairs.items.exclude(human_choice="").count() == 1000
    runs = LabelingRun.objects.order_by("task")
    assert [(r.task, r.status) for r in runs] == [("critique", "queued"), ("preference", "queued")]
    assert runs[1].constitution_version.number == 2


def test_demo_ships_a_red_team_suite_that_follows_publishing_and_queues_a_first_run():
    from redteam.models import Run, Suite

    call_command("load_demo")
    call_command("load_demo")
    suite = Suite.objects.get()
    seeds = suite.cases.filter(operator="")
    assert seeds.filter(kind="harmful").count() >= 60 and seeds.filter(kind="benign").count() >= 30
    assert seeds.filter(kind="harmful").values("category").distinct().count() >= 6
    assert suite.run_on_publish
    run = Run.objects.get()
    assert (run.suite, run.status, run.constitution_version.number) == (suite, "queued", 2)
