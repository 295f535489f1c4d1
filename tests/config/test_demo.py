import gzip
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from config.demo import DEMO_LOGINS
from constitutions.demo import DEMO_NAME
from constitutions.models import Constitution, Principle
from labeling.demo_data import hh_rlhf_usable
from tests.support.data import SHIPPED_PAIRS, hh_rlhf_path, requires_hh_rlhf

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


def _shipped_row_count() -> int:
    return len(SHIPPED_PAIRS.read_text("utf-8").splitlines())


def test_demo_loads_the_shipped_pairs_and_queues_two_runs_without_the_real_data(settings):
    """A fresh clone has no ../shared: the demo stands on the set shipped in the repository."""
    from labeling.demo import PAIRS_NAME, PREFERENCE_PAIRS, SINGLES_NAME
    from labeling.models import ItemSet, LabelingRun

    settings.CAI_HH_RLHF_PATH = "off"
    call_command("load_demo")
    call_command("load_demo")
    sets = {s.name: s for s in ItemSet.objects.all()}
    assert set(sets) == {PAIRS_NAME, SINGLES_NAME}
    pairs, singles = sets[PAIRS_NAME], sets[SINGLES_NAME]
    assert pairs.items.filter(kind="pair").count() == _shipped_row_count()
    assert pairs.items.exclude(human_choice="").count() == _shipped_row_count()
    assert pairs.items.filter(locale="de-DE").exists() and pairs.items.filter(locale="fr-FR")
    assert singles.items.filter(kind="single").count() == 40
    runs = LabelingRun.objects.order_by("task")
    assert [(r.task, r.status) for r in runs] == [("critique", "queued"), ("preference", "queued")]
    critique, preference = runs
    assert (critique.item_set, preference.item_set) == (singles, pairs)
    assert preference.constitution_version.number == 2
    assert preference.selection_value == "HARM-02"
    assert preference.constitution_version.principles.filter(code="HARM-02").exists()
    judged = pairs.items.order_by("line")[:PREFERENCE_PAIRS].values_list("metadata", flat=True)
    assert {m["principle"] for m in judged} == {"HARM-02"}


def _hh_format(rows: list[dict]) -> bytes:
    """Shipped single-turn pairs rewritten in HH-RLHF's `\n\nHuman: / Assistant:` format."""
    lines = []
    for row in rows:
        asked = f"\n\nHuman: {row['prompt']}\n\nAssistant: "
        pair = {"chosen": asked + row["chosen"], "rejected": asked + row["rejected"]}
        lines.append(json.dumps(pair))
    return gzip.compress("\n".join(lines).encode())


def test_demo_also_imports_the_real_pairs_from_the_configured_path_once(settings, tmp_path):
    from labeling.demo import HH_RLHF_NAME
    from labeling.models import ItemSet, LabelingRun

    rows = [json.loads(line) for line in SHIPPED_PAIRS.read_text("utf-8").splitlines()]
    stand_in = tmp_path / "hh-rlhf-harmless-test-first1000.jsonl.gz"
    stand_in.write_bytes(_hh_format([r for r in rows if isinstance(r["prompt"], str)][:3]))
    settings.CAI_HH_RLHF_PATH = "off"
    call_command("load_demo")
    assert not ItemSet.objects.filter(name=HH_RLHF_NAME).exists()
    settings.CAI_HH_RLHF_PATH = str(stand_in)
    call_command("load_demo")  # found later: imported now, the shipped sets are kept as they are
    call_command("load_demo")
    real = ItemSet.objects.get(name=HH_RLHF_NAME)
    assert real.items.count() == 3 and not real.items.filter(human_choice="").exists()
    assert real.source_filename == stand_in.name
    assert ItemSet.objects.count() == 3 and LabelingRun.objects.count() == 2


def test_demo_refuses_a_configured_path_that_is_not_a_file_and_writes_nothing(settings, tmp_path):
    from labeling.models import ItemSet

    settings.CAI_HH_RLHF_PATH = str(tmp_path / "typo.jsonl.gz")
    with pytest.raises(CommandError, match="CAI_HH_RLHF_PATH=.*typo.jsonl.gz.* is not a file"):
        call_command("load_demo")
    assert not ItemSet.objects.exists() and not Constitution.objects.exists()


@requires_hh_rlhf
def test_demo_imports_the_real_hh_rlhf_pairs_when_they_are_there(settings):
    from labeling.demo import HH_RLHF_NAME, PAIRS_NAME
    from labeling.models import ItemSet

    settings.CAI_HH_RLHF_PATH = str(hh_rlhf_path())
    call_command("load_demo")
    real = ItemSet.objects.get(name=HH_RLHF_NAME)
    usable, refused = hh_rlhf_usable(hh_rlhf_path().read_bytes())
    assert real.items.filter(kind="pair").exclude(human_choice="").count() == 1000 - len(refused)
    assert len(refused) <= 5
    assert ItemSet.objects.get(name=PAIRS_NAME).item_count == _shipped_row_count()


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
