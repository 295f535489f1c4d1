"""Queued work, one life cycle for every kind: labeling and red-team runs split into batches,
red-team comparisons, training jobs, and the long work taken off the request.

- `models`: the stored status values and the abstract run, batch and job models.
- `tasks`: the base Celery task (retry policy, acks_late, failure hook) and enqueueing after
  commit (`delay_on_commit`).
- `lifecycle`: claim, finish, fail, cancel, refresh and requeue of runs and their batches.
- `progress`: the one progress value that pages, partials and the API show.
- `views`: the one progress partial's response, which stops htmx polling once work is over.

Leases (heartbeats, the stale-work sweep) stay in `cai_audit.leases`, which this builds on.
"""
