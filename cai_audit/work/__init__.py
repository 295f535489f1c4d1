"""Queued work, one life cycle for every kind: labeling and red-team runs split into batches,
red-team comparisons, training jobs, and the long work taken off the request.

- `models`: the stored status values and the abstract run, batch and job models.
- `tasks`: the base Celery task (retry policy, acks_late, failure hook) and enqueueing after
  commit (`delay_on_commit`).
- `batches`: claim, heartbeat, finish and fail a batch; hand out again one whose worker died.
- `runs`: split a run into batches, cancel it, retry its failed batches, finish it, requeue
  what no live worker holds, and the sweep of each kind (`BatchedWork` describes a kind).
- `single`: the same for work done by one task (a red-team preparation or comparison, a
  training job).
- `progress`: the one progress value that pages, partials and the API show.
- `views`: the one progress partial's response, which stops htmx polling once work is over.

Leases (heartbeats, the stale-work sweep) stay in `cai_audit.leases`, which this builds on.
"""
