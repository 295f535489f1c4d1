from django.core.management.base import BaseCommand, CommandError

from cai_audit.commands import actor_from, command_errors
from training.models import DatasetSnapshot, TrainingJob
from training.services.jobs import job_create, job_run


class Command(BaseCommand):
    help = (
        "Start a training job on a snapshot. By default it is queued for a worker on the "
        "`training` queue; --here trains in this process (a GPU box without a worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--snapshot", type=int)
        parser.add_argument("--method", choices=TrainingJob.Method.values)
        parser.add_argument(
            "--resume", type=int, metavar="JOB",
            help="Queue an unfinished job again (after its worker died with no message left); "
            "it continues from its last checkpoint.",
        )  # fmt: skip
        parser.add_argument("--base-model", default="default")
        parser.add_argument("--max-steps", type=int, default=50)
        parser.add_argument("--learning-rate", type=float)
        parser.add_argument("--batch-size", type=int, default=4)
        parser.add_argument("--lora", action="store_true")
        parser.add_argument("--here", action="store_true")
        parser.add_argument("--as-user")

    def handle(self, *args, **o):
        if o["resume"]:
            return self._resume(o["resume"], here=o["here"])
        if not o["snapshot"] or not o["method"]:
            raise CommandError("--snapshot and --method are required (or --resume JOB).")
        snapshot = DatasetSnapshot.objects.filter(pk=o["snapshot"]).first()
        if snapshot is None:
            raise CommandError(f"No snapshot {o['snapshot']}.")
        hyperparameters = {
            "max_steps": o["max_steps"], "per_device_batch_size": o["batch_size"],
            "lora": o["lora"],
        }  # fmt: skip
        if o["learning_rate"] is not None:
            hyperparameters["learning_rate"] = o["learning_rate"]
        with command_errors():
            job = job_create(
                actor=actor_from(o["as_user"]), snapshot=snapshot, method=o["method"],
                base_model=o["base_model"], hyperparameters=hyperparameters,
                enqueue=not o["here"],
            )  # fmt: skip
            if o["here"]:
                job = job_run(job_id=job.pk)
        self.stdout.write(f"job {job.pk}: {job.status} ({job.output_dir})")
        if job.status == TrainingJob.Status.FAILED:
            raise CommandError(job.error)

    def _resume(self, job_id: int, *, here: bool) -> None:
        from training.tasks import train_job

        job = TrainingJob.objects.filter(pk=job_id).first()
        if job is None or job.is_finished:
            raise CommandError(f"No unfinished job {job_id}.")
        if here:
            job = job_run(job_id=job.pk)
        else:
            train_job.delay(job.pk)
        self.stdout.write(f"job {job.pk}: {job.status} ({job.output_dir})")
