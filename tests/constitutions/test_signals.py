"""Publishing and tagging announce themselves through signals, sent inside the service's
transaction, so higher apps react without constitutions importing them."""

import pytest
from django.db import connection

from cai_audit.errors import DomainError
from constitutions import services
from constitutions.models import ConstitutionVersion, ReleaseTag
from constitutions.signals import release_tagged, version_published


@pytest.fixture
def heard():
    """Every signal sent while the test runs, with whether it came inside a transaction."""
    events = []

    def listen(signal_name):
        def receiver(sender, **kwargs):
            in_transaction = connection.in_atomic_block
            events.append((signal_name, sender, kwargs, in_transaction))

        return receiver

    on_publish, on_tag = listen("published"), listen("tagged")
    version_published.connect(on_publish)
    release_tagged.connect(on_tag)
    yield events
    version_published.disconnect(on_publish)
    release_tagged.disconnect(on_tag)


def test_publishing_sends_version_published_inside_the_transaction(heard, draft, editor):
    version = services.version_publish(actor=editor, version=draft, changelog="First")
    [(name, sender, kwargs, in_transaction)] = heard
    assert name == "published" and sender is ConstitutionVersion
    assert kwargs["version"] == version and kwargs["version"].is_published
    assert kwargs["actor"] == editor
    # Inside the publish's transaction, so a receiver's writes commit with it (or not at all).
    assert in_transaction


def test_a_refused_publish_sends_nothing(heard, draft, editor):
    with pytest.raises(DomainError):
        services.version_publish(actor=editor, version=draft, changelog="  ")
    assert heard == []


def test_a_receiver_that_fails_undoes_the_publish(draft, editor):
    def refuse(sender, **kwargs):
        raise RuntimeError("receiver broke")

    version_published.connect(refuse)
    try:
        with pytest.raises(RuntimeError, match="receiver broke"):
            services.version_publish(actor=editor, version=draft, changelog="First")
    finally:
        version_published.disconnect(refuse)
    draft.refresh_from_db()
    assert not draft.is_published


def test_tagging_a_release_sends_release_tagged(heard, published, editor):
    heard.clear()
    tag = services.release_tag_add(actor=editor, version=published, name="assistant-1")
    [(name, sender, kwargs, in_transaction)] = heard
    assert name == "tagged" and sender is ReleaseTag
    assert kwargs["tag"] == tag and kwargs["tag"].name == "assistant-1"
    assert kwargs["version"] == published and kwargs["actor"] == editor
    assert in_transaction


def test_a_refused_tag_sends_nothing(heard, draft, editor):
    with pytest.raises(DomainError):
        services.release_tag_add(actor=editor, version=draft, name="assistant-1")
    assert heard == []
