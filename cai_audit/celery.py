"""The Celery app. Queues: `labeling` (AI critic work), `training` (GPU jobs), `default`.

Tasks are routed by the module that defines them, so a worker started with `-Q labeling` on an
inference box never picks up training work. Every worker also sweeps for work whose worker died
(StaleWorkSweep below), so no beat process is needed for that.
"""

import logging
import os
import threading

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cai_audit.settings")

logger = logging.getLogger(__name__)

app = Celery("cai_audit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _broker_folders(sender: Celery, **_signal) -> None:
    """The filesystem broker's folders, made when the app first reads its configuration (in the
    web process before it queues anything, in a worker before it consumes)."""
    from .local_state import broker_folders_ensure

    if str(sender.conf.broker_url).startswith("filesystem://"):
        broker_folders_ensure(sender.conf.broker_transport_options or {})


class StaleWorkSweep(bootsteps.StartStopStep):
    """Hands out again the batches, matchups and training jobs whose worker stopped writing
    heartbeats (cai_audit/leases.py): once when the worker starts, then every third of the stale
    bound. It runs in a thread of its own, so a long task on a solo worker does not hold it up,
    and on every worker, so it needs no beat; two sweeps at once skip each other's rows."""

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, parent) -> None:
        self.thread = threading.Thread(target=self._loop, name="stale-work-sweep", daemon=True)
        self.thread.start()

    def stop(self, parent) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=10)

    def _loop(self) -> None:
        from django.db import connections

        from .leases import stale_work_sweep, sweep_every_s

        while True:
            try:
                stale_work_sweep()
            except Exception:  # the database is away: try again next time
                logger.exception("The stale work sweep failed")
            finally:
                connections.close_all()  # this thread's connections only
            if self.stopped.wait(sweep_every_s()):
                return


app.steps["worker"].add(StaleWorkSweep)
