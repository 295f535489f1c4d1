import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cai_audit.commands import actor_from, command_errors
from constitutions.models import ConstitutionVersion
from labeling.models import CriticConfig
from labeling.services.critics import critic_config_default
from redteam import metrics, selectors
from redteam.models import Run, Suite
from redteam.services.processing import run_process_here
from redteam.services.runs import run_create

BREACHED, USAGE, UNFINISHED = 1, 2, 3


def _by_name_or_id(model, value: str, what: str):
    query = Q(name=value) | (Q(pk=int(value)) if value.isdigit() else Q(pk=None))
    found = model.objects.filter(query).first()
    if found is None:
        raise CommandError(f"No {what} {value!r} (give its name or id).", returncode=USAGE)
    return found


def _fmt(estimate) -> str:
    if not estimate.n:
        return "no cases"
    return f"{estimate.value:6.1%} [{estimate.low:.1%}-{estimate.high:.1%}] n={estimate.n}"


class Command(BaseCommand):
    help = (
        "Red-team a model with a suite and check the violation rates, for CI pipelines. "
        "Exit status: 0 all thresholds hold; 1 a threshold was breached (or, with "
        "--fail-on-regression, a category or principle got significantly worse than the "
        "previous run); 2 bad arguments; 3 the run did not finish. Without --here the run goes "
        "to the `labeling` queue and a worker does it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--suite", required=True, help="Suite name or id.")
        parser.add_argument(
            "--target", help="The model under test: a model configuration's name or id."
        )
        # The old name of --target, kept so that existing CI pipelines go on working.
        parser.add_argument("--critic", help="Deprecated: use --target.")
        parser.add_argument("--judge", help="The AI judge's configuration (default: shipped).")
        parser.add_argument(
            "--constitution-version", type=int,
            help="Version id whose principles the judge applies (default: newest published).",
        )  # fmt: skip
        parser.add_argument(
            "--fail-above", action="append", default=[], metavar="CATEGORY=RATE",
            help="Exit 1 when the category's violation rate is above RATE ('overall' for all "
            "harmful cases). Repeat for several.",
        )  # fmt: skip
        parser.add_argument(
            "--fail-refusals-above", type=float,
            help="Exit 1 when the false-refusal rate on benign cases is above this.",
        )  # fmt: skip
        parser.add_argument("--fail-on-regression", action="store_true")
        parser.add_argument("--operators", default="", help="Comma-separated operators.")
        parser.add_argument("--temperatures", default="0", help="Comma-separated, e.g. 0,0.7")
        parser.add_argument("--case-limit", type=int)
        parser.add_argument("--max-new-tokens", type=int)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--here", action="store_true", help="Do the run in this process.")
        parser.add_argument("--timeout", type=float, default=3600)
        parser.add_argument("--json", type=Path, help="Write the rates and breaches here.")
        parser.add_argument("--as-user")

    def handle(self, *args, **options):
        try:
            thresholds = metrics.parse_thresholds(options["fail_above"])
            temperatures = [
                float(value) for value in options["temperatures"].split(",") if value.strip()
            ]
        except ValueError as error:
            raise CommandError(str(error), returncode=USAGE) from None
        suite = _by_name_or_id(Suite, options["suite"], "suite")
        target = _by_name_or_id(CriticConfig, self._target_name(options), "model configuration")
        judge = (
            _by_name_or_id(CriticConfig, options["judge"], "judge") if options["judge"]
            else critic_config_default()
        )  # fmt: skip
        version = self._version(options["constitution_version"])
        try:
            with command_errors():
                run = run_create(
                    actor=actor_from(options["as_user"]), suite=suite, constitution_version=version,
                    target=target, judge=judge,
                    operators=[name.strip() for name in options["operators"].split(",")
                               if name.strip()],
                    temperatures=temperatures, max_new_tokens=options["max_new_tokens"],
                    seed=options["seed"], case_limit=options["case_limit"],
                    trigger=Run.Trigger.COMMAND, enqueue=not options["here"],
                )  # fmt: skip
        except CommandError as error:  # the settings were refused
            error.returncode = USAGE
            raise
        self.stdout.write(f"Red-team run {run.pk}: {suite.name} against {target.name}.")
        if options["here"]:
            run = run_process_here(run_id=run.pk)
        else:
            run = self._wait(run, options["timeout"])
        if run.status != Run.Status.DONE:
            raise CommandError(
                f"Run {run.pk} ended {run.status}. {run.error}".strip(), returncode=UNFINISHED
            )
        self._verdict(run, thresholds, options)

    def _target_name(self, options: dict) -> str:
        """--target, or its deprecated alias --critic (with a warning); exactly one of them."""
        if options["target"] and options["critic"]:
            raise CommandError("Give --target only (--critic is its old name).", returncode=USAGE)
        if options["critic"]:
            self.stderr.write("Warning: --critic is deprecated; use --target.")
            return options["critic"]
        if not options["target"]:
            raise CommandError("Name the model under test with --target.", returncode=USAGE)
        return options["target"]

    def _version(self, pk: int | None) -> ConstitutionVersion:
        if pk:
            version = ConstitutionVersion.objects.filter(status="published", pk=pk).first()
        else:
            version = selectors.version_newest_published()
        if version is None:
            raise CommandError("No such published constitution version.", returncode=USAGE)
        return version

    def _wait(self, run: Run, timeout: float) -> Run:
        deadline = time.monotonic() + timeout
        while not run.is_finished and time.monotonic() < deadline:
            time.sleep(1.0)
            run.refresh_from_db()
        return run

    def _verdict(self, run: Run, thresholds: dict, options: dict) -> None:
        records = selectors.run_records(run)
        report = selectors.run_report(run, records)
        self.stdout.write(f"Violation rate (harmful):  {_fmt(report.violation)}")
        self.stdout.write(f"False refusals (benign):   {_fmt(report.false_refusal)}")
        for category, estimate in report.harmful["category"].items():
            self.stdout.write(f"  {category:<16} {_fmt(estimate)}")
        stuck = selectors.judge_audit(run)["position_stuck"]
        self.stdout.write(f"Judge position-stuck:      {_fmt(stuck)}")
        if stuck.value > 0.5:
            self.stderr.write(
                "Warning: most verdicts are the judge's position bias, not a judgment of the "
                "answers; audit a sample of them or use a stronger judge."
            )
        failures = [
            f"{key}: violation rate {rate:.1%} is above {limit:.1%}" if rate == rate
            else f"{key}: no cases, so it cannot be shown to be under {limit:.1%}"
            for key, rate, limit in metrics.breaches(records, thresholds)
        ]  # fmt: skip
        limit = options["fail_refusals_above"]
        if limit is not None and report.false_refusal.value > limit:
            failures.append(f"false-refusal rate {report.false_refusal.value:.1%} > {limit:.1%}")
        previous = selectors.run_previous(run)
        if options["fail_on_regression"] and previous is not None:
            for label, change in selectors.run_regression(previous, run, records).worse:
                failures.append(
                    f"{label} {change.key} worse than run {previous.pk}: "
                    f"{change.difference.difference:+.1%} (Holm p={change.p_adjusted:.3g})"
                )
        if options["json"]:
            options["json"].write_text(json.dumps({
                "run": run.pk, "violation_rate": report.violation.value,
                "false_refusal_rate": report.false_refusal.value,
                "by_category": {k: e.value for k, e in report.harmful["category"].items()},
                "failures": failures,
            }, indent=2))  # fmt: skip
        if failures:
            raise CommandError("; ".join(failures), returncode=BREACHED)
        self.stdout.write(self.style.SUCCESS("Every threshold holds."))
