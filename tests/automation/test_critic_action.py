"""A rule whose action is "judge with a critic": the labels it picks are labelled again by one
of our critics, in a labeling run over exactly their items."""

import pytest
from django.core.exceptions import PermissionDenied

from automation.designs import poisson_pick
from automation.services.rules import rule_create
from cai_audit.errors import DomainError
from labeling.models import LabelingRun, PreferenceLabel
from tests.factories import CriticConfigFactory

from .conftest import announce, import_labels


def test_picked_labels_are_judged_again_by_our_critic(published, source, researcher):
    critic = CriticConfigFactory(name="our judge")
    rule = rule_create(
        actor=researcher, name="Second opinion", label_kind="preference", mode="poisson",
        rate=0.2, action="critic", critic=critic, seed=5,
    )  # fmt: skip
    assert rule.sample_id is None
    run, ids = import_labels(published, source, 100)
    announce(source, run, ids)
    picked = poisson_pick(5, "preference", ids, 0.2)
    second = LabelingRun.objects.get(origin="critic", critic=critic)
    assert second.constitution_version == published and second.task == "preference"
    copied = sorted(second.item_set.items.values_list("response_a", flat=True))
    originals = PreferenceLabel.objects.filter(id__in=picked).values_list(
        "item__response_a", flat=True
    )
    assert copied == sorted(originals)
    assert second.total_units >= len(picked)
    rule.refresh_from_db()
    assert (rule.labels_seen, rule.labels_sent) == (100, len(picked))


def test_critic_rules_need_a_critic_the_right_kind_and_permission(lead, researcher):
    critic = CriticConfigFactory(name="c")
    with pytest.raises(PermissionDenied):  # a review lead does not start labeling runs
        rule_create(actor=lead, name="x", label_kind="preference", mode="poisson", rate=0.1,
                    action="critic", critic=critic)  # fmt: skip
    with pytest.raises(DomainError, match="critic"):
        rule_create(actor=researcher, name="x", label_kind="preference", mode="poisson",
                    rate=0.1, action="critic")  # fmt: skip
    with pytest.raises(DomainError, match="suite"):
        rule_create(actor=researcher, name="x", label_kind="preference", mode="poisson",
                    rate=0.1, action="redteam")  # fmt: skip
    with pytest.raises(DomainError, match="action"):
        rule_create(actor=researcher, name="x", label_kind="preference", mode="poisson",
                    rate=0.1, action="shrug")  # fmt: skip


def test_critic_rule_through_the_page_and_the_api(researcher):
    from django.test import Client

    from automation.models import AutomationRule

    critic = CriticConfigFactory(name="page critic")
    client = Client()
    client.force_login(researcher)
    form = {
        "name": "Page critic", "label_kind": "preference", "mode": "poisson", "rate": "0.1",
        "action": "critic", "critic": critic.pk, "overlap": "1", "seed": "0",
    }  # fmt: skip
    assert client.post("/automation/rules/new/", form).status_code == 302
    assert AutomationRule.objects.get(name="Page critic").critic == critic
    response = client.post(
        "/api/automation-rules/",
        {"name": "API critic", "label_kind": "preference", "mode": "poisson", "rate": 0.1,
         "action": "critic", "critic": critic.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["critic"] == critic.pk
    refused = client.post("/automation/rules/new/", form | {"critic": "", "name": "No critic"})
    assert refused.status_code == 400 and "critic" in refused.content.decode()


def test_picked_labels_re_run_the_red_team_suite_once_at_a_time(published, source, researcher):
    from redteam.models import Run
    from tests.redteam.factories import make_judged_run

    first = make_judged_run(published, cases=3)
    suite = first.suite
    suite.regression_target, suite.regression_judge = first.target, first.judge
    suite.save(update_fields=["regression_target", "regression_judge"])
    rule = rule_create(
        actor=researcher, name="Re-run on arrivals", label_kind="preference", mode="poisson",
        rate=1.0, action="redteam", suite=suite,
    )  # fmt: skip
    run, ids = import_labels(published, source, 20)
    announce(source, run, ids)
    rerun = Run.objects.exclude(pk=first.pk).get(suite=suite)
    assert rerun.status == "queued" and rerun.constitution_version == published
    assert rerun.target == first.target and rerun.judge == first.judge
    run2, ids2 = import_labels(published, source, 20, seed=1)
    announce(source, run2, ids2)  # a run of the suite is under way: not another
    assert Run.objects.filter(suite=suite).count() == 2
    rule.refresh_from_db()
    assert (rule.labels_seen, rule.labels_sent) == (40, 40)
