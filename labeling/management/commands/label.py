from django.core.management.base import BaseCommand, CommandError

from cai_audit.commands import actor_from, command_errors
from constitutions.models import ConstitutionVersion
from labeling.models import CriticConfig, ItemSet, LabelingRun
from labeling.selectors import run_progress
from labeling.services.critics import critic_config_default
from labeling.services.processing import wait_for_run
from labeling.services.runs import run_create


class Command(BaseCommand):
    help = (
        "Start a labeling run (its batches go to the `labeling` Celery queue; a worker does them). "
        "--wait blocks until it finishes and exits non-zero if any batch failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--constitution-version", type=int, required=True, help="Constitution version id."
        )
        parser.add_argument("--item-set", type=int, required=True)
        parser.add_argument("--task", choices=["critique", "preference"], required=True)
        parser.add_argument("--critic", type=int, help="Critic id (default: the shipped SmolLM2).")
        parser.add_argument("--selection", default="all", choices=LabelingRun.Selection.values)
        parser.add_argument("--selection-value", default="")
        parser.add_argument("--limit", type=int, help="Label only the first N items.")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--batch-size", type=int, default=16)
        parser.add_argument("--wait", action="store_true")
        parser.add_argument("--timeout", type=float, default=3600)
        parser.add_argument("--as-user")

    def handle(self, *args, **options):
        try:
            version = ConstitutionVersion.objects.get(pk=options["constitution_version"])
            item_set = ItemSet.objects.get(pk=options["item_set"])
            critic = CriticConfig.objects.get(pk=options["critic"]) if options["critic"] else None
        except (ConstitutionVersion.DoesNotExist, ItemSet.DoesNotExist, CriticConfig.DoesNotExist):
            raise CommandError("No such constitution version, item set or critic.") from None
        with command_errors():
            run = run_create(
                actor=actor_from(options["as_user"]),
                constitution_version=version,
                item_set=item_set,
                critic=critic or critic_config_default(),
                task=options["task"],
                selection=options["selection"],
                selection_value=options["selection_value"],
                item_limit=options["limit"],
                seed=options["seed"],
                batch_size=options["batch_size"],
            )
        self.stdout.write(f"Run {run.pk}: {run.total_units} labels in {run.total_batches} batches.")
        if not options["wait"]:
            return
        run = wait_for_run(run_id=run.pk, timeout_s=options["timeout"])
        progress = run_progress(run=run)
        self.stdout.write(f"Run {run.pk} {run.status}: {progress.done}/{progress.total} labels.")
        if run.status != LabelingRun.Status.DONE:
            raise CommandError(f"Run {run.pk} ended {run.status}.")
