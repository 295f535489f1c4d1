"""What automation does when labeling announces arrived labels (connected in apps.py)."""

import logging

from cai_audit.alerts import WORK_FAILED, alert
from cai_audit.errors import DomainError

from .models import AutomationRule
from .services.arrival import rules_apply_arrived

logger = logging.getLogger(__name__)


def labels_arrived_apply_rules(sender, *, kind, runs, label_ids=None, **kwargs) -> None:
    """Apply the active rules of `kind` to the labels that arrived (after their commit). The
    labels are written whatever the rules do: a rule that no longer applies (its filter names a
    dimension the kind lost) is reported as WORK_FAILED instead of failing the delivery."""
    try:
        rules_apply_arrived(kind=kind, runs=runs, label_ids=label_ids)
    except DomainError as error:
        logger.warning("Automation rules on %s labels failed: %s", kind, error)
        alert.send(
            sender=AutomationRule,
            event=WORK_FAILED,
            subject=f"Automation rules could not sample arrived {kind} labels",
            body=str(error),
            link="/automation/",
            key=f"rules:{kind}:{error}"[:200],
        )
