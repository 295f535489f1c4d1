"""Celery tasks beat calls (PeriodicTask rows name them): an id in, one service call. On the
`default` queue. A task that gives up raises a WORK_FAILED alert."""

from cai_audit.alerts import WORK_FAILED, alert
from cai_audit.work.tasks import queued_task

from .models import AutomationRule, Check, DrawSchedule
from .services.checks import check_run as check_run_service
from .services.windows import rule_windows_close as rule_windows_close_service
from .services.windows import schedule_run as schedule_run_service


def _failed(model):
    def give_up(pk: int, error: str) -> None:
        name = model._meta.verbose_name
        alert.send(
            sender=model,
            event=WORK_FAILED,
            subject=f"Scheduled {name} {pk} failed",
            body=error,
            link="/automation/",
            key=f"{model._meta.model_name}:{pk}:failed:{error[:80]}",
        )

    return give_up


@queued_task(give_up=_failed(AutomationRule), queue="default")
def rule_windows_close(rule_id: int) -> int:
    return rule_windows_close_service(rule_id=rule_id)


@queued_task(give_up=_failed(DrawSchedule), queue="default")
def schedule_run(schedule_id: int) -> int:
    return schedule_run_service(schedule_id=schedule_id)


@queued_task(give_up=_failed(Check), queue="default")
def check_run(check_id: int) -> bool:
    return check_run_service(check_id=check_id).fired
