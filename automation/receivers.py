"""What automation does when labeling announces arrived labels (connected in apps.py)."""

from .services.arrival import rules_apply_arrived


def labels_arrived_apply_rules(sender, *, kind, runs, label_ids=None, **kwargs) -> None:
    """Apply the active rules of `kind` to the labels that arrived (after their commit)."""
    rules_apply_arrived(kind=kind, runs=runs, label_ids=label_ids)
