"""Alerts: something a person should hear about (a drift check fired, a queue is over its
backlog, a constitution is due for review, a run or job failed).

Any app sends `alert`; the notifications app (and only it) delivers alerts to the people who
subscribed, by e-mail or webhook. Senders never import it, so the lowest layers can raise alerts
too. Send after the change that caused the alert has committed (`transaction.on_commit`), so
nobody hears about work that was rolled back.
"""

from django.dispatch import Signal

# Event names: what a subscription chooses among (value, label).
DRIFT = "drift"
QUEUE_BACKLOG = "queue_backlog"
CONSTITUTION_REVIEW_DUE = "constitution_review_due"
WORK_FAILED = "work_failed"
EVENTS = (
    (DRIFT, "Drift alert"),
    (QUEUE_BACKLOG, "Review queue over its backlog"),
    (CONSTITUTION_REVIEW_DUE, "Constitution due for review"),
    (WORK_FAILED, "Run or job failed"),
)

# sender: the class of the object the alert is about; kwargs: event (one of EVENTS), subject
# (one line), body (plain text), link (a path in the app, or ""), key (a string: the same key is
# delivered once per subscription, so a check that runs every hour does not repeat itself).
alert = Signal()
