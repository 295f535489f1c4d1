"""The alert a run or job sends when it finishes failed or is given up (cai_audit.alerts
WORK_FAILED), once its failure has committed. One key per run or job: a person hears about it
once, even when the sweep or a redelivered message touches it again."""

from django.db import models, transaction

from cai_audit.alerts import WORK_FAILED, alert


def work_failed_alert(model: type[models.Model], work_id: int, error: str = "") -> None:
    """Send WORK_FAILED for the run or job `work_id` of `model` after the current transaction
    commits (at once outside one). Raises nothing of its own."""
    name = model._meta.verbose_name
    label = model._meta.label_lower

    def send() -> None:
        row = model.objects.filter(pk=work_id).first()
        link = row.get_absolute_url() if hasattr(row, "get_absolute_url") else ""
        alert.send(
            sender=model,
            event=WORK_FAILED,
            subject=f"{name.capitalize()} {work_id} failed",
            body=(error or getattr(row, "error", "") or "It finished with failed work.")[:2000],
            link=link,
            key=f"{label}:{work_id}",
        )

    transaction.on_commit(send)
