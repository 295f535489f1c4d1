"""The channels API takes the page's path: a user's own channels and their role's team
channels, another user's is a 404, webhook URLs are checked and never sent back."""

from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from cai_audit.roles import POLICY_EDITOR, REVIEW_LEAD
from notifications.models import Channel, Delivery

from .conftest import make_channel

CHANNELS = "/api/notification-channels/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_user_creates_lists_updates_tests_and_deletes_a_channel(reviewer, receiver):
    client = api(reviewer)
    body = {"name": "hook", "kind": "webhook", "target": receiver.url(), "events": ["drift"]}
    response = client.post(CHANNELS, body, format="json")
    assert response.status_code == 201, response.content
    channel_id = response.json()["id"]
    assert "secret-token" not in response.content.decode()
    assert response.json()["events"] == ["drift"]
    listed = client.get(CHANNELS).json()
    assert [row["id"] for row in listed["results"]] == [channel_id]
    response = client.patch(f"{CHANNELS}{channel_id}/", {"active": False}, format="json")
    assert response.status_code == 200 and response.json()["active"] is False
    assert client.post(f"{CHANNELS}{channel_id}/test/").status_code == 202
    assert Delivery.objects.filter(channel_id=channel_id, event="test").count() == 1
    assert client.delete(f"{CHANNELS}{channel_id}/").status_code == 204
    assert not Channel.objects.exists()


def test_hostile_bodies_are_refused_with_the_field_named(reviewer):
    client = api(reviewer)
    for body, field in [
        ({"name": "x", "kind": "webhook", "target": "http://169.254.169.254/"}, "target"),
        ({"name": "x", "kind": "email", "target": "nope"}, "target"),
        ({"name": "x", "kind": "email", "target": "a@b.co", "events": ["all"]}, "events"),
        ({"name": "x", "kind": "fax", "target": "a@b.co"}, "kind"),
        ({"name": "x" * 101, "kind": "email", "target": "a@b.co"}, "name"),
    ]:
        response = client.post(CHANNELS, body, format="json")
        assert response.status_code == 400 and field in response.content.decode(), body
    assert client.post(CHANNELS, "[1, 2", content_type="application/json").status_code == 400
    assert Channel.objects.count() == 0


def test_another_users_channel_is_not_found(editor, reviewer):
    theirs = make_channel(editor)
    client = api(reviewer)
    assert client.get(CHANNELS).json()["results"] == []
    for method in ("get", "patch", "delete"):
        assert getattr(client, method)(f"{CHANNELS}{theirs.pk}/").status_code == 404
    assert client.post(f"{CHANNELS}{theirs.pk}/test/").status_code == 404
    assert Channel.objects.filter(pk=theirs.pk).exists()


def test_team_channels_need_the_permission_and_the_role(lead, reviewer):
    leads = Group.objects.get(name=REVIEW_LEAD)
    body = {"name": "t", "kind": "email", "target": "t@example.com", "team": leads.pk}
    assert api(reviewer).post(CHANNELS, body, format="json").status_code == 403
    editors = Group.objects.get(name=POLICY_EDITOR)
    refused = api(lead).post(CHANNELS, {**body, "team": editors.pk}, format="json")
    assert refused.status_code == 400 and "team" in refused.content.decode()
    assert api(lead).post(CHANNELS, body, format="json").status_code == 201
    assert Channel.objects.get().team == leads


def test_the_delivery_log_lists_only_visible_channels(editor, reviewer):
    mine, theirs = make_channel(reviewer), make_channel(editor)
    for channel in (mine, theirs):
        Delivery.objects.create(channel=channel, event="work_failed", key="k", subject="s")
    rows = api(reviewer).get("/api/notification-deliveries/").json()["results"]
    assert [row["channel"] for row in rows] == [mine.pk]


def test_anonymous_requests_are_refused(db):
    assert APIClient().get(CHANNELS).status_code in (401, 403)
