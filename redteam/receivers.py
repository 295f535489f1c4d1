"""Red-teaming's reactions to other apps' events, connected in RedteamConfig.ready().

A published constitution version, or one tagged with a model release, re-runs the suites set to
follow that event. The receivers run inside the constitution service's transaction, so the runs
are created (and their preparation queued on commit) only if the publish or the tag commits.
"""

from constitutions.signals import release_tagged, version_published

from .services.triggers import regression_runs_start


def regression_runs_on_publish(*, version, actor, **_signal) -> None:
    regression_runs_start(actor=actor, version=version, event="publish")


def regression_runs_on_release(*, tag, version, actor, **_signal) -> None:
    regression_runs_start(actor=actor, version=version, event="release", release_tag=tag.name)


def receivers_connect() -> None:
    """Connect once per process; the dispatch ids make a second call (tests reloading apps)
    harmless."""
    version_published.connect(
        regression_runs_on_publish, dispatch_uid="redteam.regression_runs_on_publish"
    )
    release_tagged.connect(
        regression_runs_on_release, dispatch_uid="redteam.regression_runs_on_release"
    )
