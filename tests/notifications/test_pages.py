"""The /notifications/ page: a user manages their own channels, sees the team channels of their
roles and the log of the channels they see, never another user's; team channels need
manage_team_channels; hostile input is refused with field errors."""

import pytest
from django.urls import reverse

from cai_audit.alerts import WORK_FAILED
from cai_audit.roles import POLICY_EDITOR, REVIEW_LEAD, REVIEWER
from notifications.models import Channel, Delivery
from tests.conftest import logged_in
from tests.factories import UserFactory

from .conftest import make_channel

LIST = reverse("notifications:channels")
NEW = reverse("notifications:channel_create")


def _post(client, url, **data):
    form = {"name": "Mine", "kind": "email", "target": "me@example.com", "active": "on",
            "events": [WORK_FAILED]}  # fmt: skip
    form.update(data)
    return client.post(url, {k: v for k, v in form.items() if v is not None})


def test_anonymous_users_go_to_the_login_page(db):
    from django.test import Client

    for url in (LIST, NEW, reverse("notifications:channel_edit", args=[1])):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_adds_a_channel_and_sees_it_with_its_events(reviewer, reviewer_client):
    response = _post(reviewer_client, NEW)
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.owner == reviewer and channel.team is None and channel.events == [WORK_FAILED]
    page = reviewer_client.get(LIST).content.decode()
    assert "me@example.com" in page and "Run or job failed" in page
    assert 'href="/notifications/"' in reviewer_client.get(LIST).content.decode()  # the nav link


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "webhook", "target": "http://169.254.169.254/latest/"}, "target"),
        ({"kind": "webhook", "target": "file:///etc/passwd"}, "target"),
        ({"kind": "email", "target": "not-an-address"}, "target"),
        ({"kind": "sms"}, "kind"),
        ({"events": ["drift", "everything"]}, "events"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"target": "a@b.co" + "m" * 600}, "target"),
    ],
)
def test_hostile_forms_are_refused_with_a_field_error(reviewer_client, data, field):
    response = _post(reviewer_client, NEW, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Channel.objects.count() == 0


def test_the_refusal_is_escaped(reviewer_client):
    response = _post(reviewer_client, NEW, kind="webhook", target="http://<script>x</script>/")
    assert response.status_code == 200 and b"<script>x" not in response.content


def test_a_user_never_reaches_another_users_channel(editor, reviewer, reviewer_client):
    theirs = make_channel(editor, target="editor@example.com")
    Delivery.objects.create(channel=theirs, event=WORK_FAILED, key="k", subject="Secret run")
    page = reviewer_client.get(LIST).content.decode()
    assert "editor@example.com" not in page and "Secret run" not in page
    for name in ("channel_edit", "channel_delete", "channel_test"):
        url = reverse(f"notifications:{name}", args=[theirs.pk])
        response = reviewer_client.post(url, {"name": "hijack", "kind": "email",
                                              "target": "evil@example.com"})  # fmt: skip
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.target == "editor@example.com" and Delivery.objects.count() == 1


def test_the_owner_edits_tests_and_deletes_a_channel(editor, editor_client, receiver):
    channel = make_channel(editor, kind="webhook", target=receiver.url())
    edit = reverse("notifications:channel_edit", args=[channel.pk])
    assert editor_client.get(edit).status_code == 200
    response = _post(editor_client, edit, name="Renamed", kind="webhook", target=receiver.url(),
                     events=["drift", "queue_backlog"], active=None)  # fmt: skip
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Renamed" and not channel.active
    assert channel.events == ["drift", "queue_backlog"]
    response = editor_client.post(reverse("notifications:channel_test", args=[channel.pk]))
    assert response.status_code == 302
    test_delivery = Delivery.objects.get(channel=channel)
    assert test_delivery.event == "test" and test_delivery.status == Delivery.Status.PENDING
    assert editor_client.get(LIST).content.decode().count("Test message") >= 1
    assert (
        editor_client.post(reverse("notifications:channel_delete", args=[channel.pk])).status_code
        == 302
    )  # noqa: E501
    assert not Channel.objects.exists()


def test_the_page_hides_a_webhooks_secret_path(editor, editor_client, receiver):
    make_channel(editor, kind="webhook", target=receiver.url())
    assert b"secret-token" not in editor_client.get(LIST).content


def test_a_review_lead_adds_a_team_channel_its_role_sees_and_others_do_not(lead, db):
    from django.contrib.auth.models import Group

    team = Group.objects.get(name=REVIEW_LEAD)
    client = logged_in(lead)
    assert "team" in client.get(NEW).context["form"].fields
    response = _post(client, NEW, name="Leads", target="leads@example.com", team=team.pk)
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.team == team and channel.owner is None

    other_lead = logged_in(UserFactory(username="lead2", roles=[REVIEW_LEAD]))
    assert b"leads@example.com" in other_lead.get(LIST).content
    edit = reverse("notifications:channel_edit", args=[channel.pk])
    assert other_lead.get(edit).status_code == 200  # a lead of the same team manages it

    editor = logged_in(UserFactory(username="ed", roles=[POLICY_EDITOR]))
    assert b"leads@example.com" not in editor.get(LIST).content
    assert editor.get(edit).status_code == 404


def test_a_member_without_the_permission_sees_the_team_channel_but_cannot_manage_it(lead, db):
    from django.contrib.auth.models import Group

    team = Group.objects.get(name=REVIEW_LEAD)
    channel = make_channel(lead, name="Leads", target="leads@example.com", team=team)
    member = UserFactory(username="both", roles=[REVIEWER])
    member.groups.add(team.pk)
    Group.objects.get(name=REVIEW_LEAD).permissions.remove(
        *Group.objects.get(name=REVIEW_LEAD).permissions.filter(codename="manage_team_channels")
    )
    client = logged_in(member)
    assert b"leads@example.com" in client.get(LIST).content
    edit = reverse("notifications:channel_edit", args=[channel.pk])
    assert client.get(edit).status_code == 403
    assert (
        client.post(reverse("notifications:channel_delete", args=[channel.pk])).status_code == 403
    )  # noqa: E501


def test_a_reviewer_cannot_add_a_team_channel(reviewer, reviewer_client):
    from django.contrib.auth.models import Group

    team = Group.objects.get(name=REVIEWER)
    assert "team" not in reviewer_client.get(NEW).context["form"].fields
    _post(reviewer_client, NEW, team=team.pk)  # a forged field is ignored: a personal channel
    assert Channel.objects.get().owner == reviewer


def test_a_lead_cannot_add_a_channel_for_a_role_they_do_not_hold(lead):
    from django.contrib.auth.models import Group

    client = logged_in(lead)
    response = _post(client, NEW, team=Group.objects.get(name=POLICY_EDITOR).pk)
    assert response.status_code == 200 and "team" in response.context["form"].errors
    assert Channel.objects.count() == 0


def test_the_permission_is_granted_to_review_leads_and_policy_editors(lead, editor, reviewer):
    from cai_audit import permissions

    assert lead.has_perm(permissions.MANAGE_TEAM_CHANNELS)
    assert editor.has_perm(permissions.MANAGE_TEAM_CHANNELS)
    assert not reviewer.has_perm(permissions.MANAGE_TEAM_CHANNELS)


def test_the_delivery_log_shows_the_channels_a_user_sees(editor, editor_client):
    channel = make_channel(editor)
    Delivery.objects.create(
        channel=channel, event=WORK_FAILED, key="k", subject="Run <b>9</b>",
        status=Delivery.Status.FAILED, attempts=5, error="HTTP 500",
    )  # fmt: skip
    page = editor_client.get(LIST).content.decode()
    assert "Run &lt;b&gt;9&lt;/b&gt;" in page and "HTTP 500" in page and "Failed" in page


def test_a_page_number_out_of_range_is_not_a_500(editor_client):
    assert editor_client.get(LIST, {"page": "99999999999999999999"}).status_code == 200
    assert editor_client.get(LIST, {"page": "x"}).status_code == 200
