"""The Celery app. Queues: `labeling` (AI critic work), `training` (GPU jobs), `default`.

Tasks are routed by the module that defines them, so a worker started with `-Q labeling` on an
inference box never picks up training work.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cai_audit.settings")

app = Celery("cai_audit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
