"""Fixtures of the notifications tests: a real HTTP receiver in a thread, users' channels, and
the delivery of everything queued (the task's body, run in this process with `apply`)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cai_audit.roles import REVIEW_LEAD
from notifications.models import Delivery
from notifications.services.channels import channel_create
from notifications.tasks import delivery_send
from tests.factories import UserFactory


class WebhookReceiver:
    """A local webhook receiver: records each POST (path and JSON) and answers with the next
    scripted status (200 once the script is spent)."""

    def __init__(self):
        self.received: list[dict] = []
        self.script: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.received.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(body or b"null"),
                    }
                )
                status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/x")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/services/T0/B0/secret-token") -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", roles=[REVIEW_LEAD])


def make_channel(user, *, kind="email", target="alice@example.com", events=("work_failed",), **kw):
    return channel_create(
        actor=user, name=kw.pop("name", f"{kind} channel"), kind=kind, target=target,
        events=list(events), **kw,
    )  # fmt: skip


def deliver_pending() -> list[Delivery]:
    """Run the delivery task, in this process, for every pending delivery (retries at once)."""
    pending = list(Delivery.objects.filter(status=Delivery.Status.PENDING).order_by("pk"))
    for delivery in pending:
        delivery_send.apply(args=[delivery.pk])
    return [Delivery.objects.get(pk=delivery.pk) for delivery in pending]
