"""The red-team run's progress as the API shows it."""

from redteam.serializers import RedteamRunDetailSerializer

from .factories import make_judged_run


def test_the_api_rounds_the_percent_judged_to_the_nearest_whole(version):
    run = make_judged_run(version, cases=3)
    run.responses.update(verdict="safe")
    run.responses.filter(pk=run.responses.order_by("pk").first().pk).update(verdict="")
    run.total_units = 3
    run.save(update_fields=["total_units"])
    progress = RedteamRunDetailSerializer(run).data["progress"]
    assert progress["judged"] == 2 and progress["total"] == 3
    assert progress["percent"] == 67  # 66.7 rounds up, as it did before the shared Progress
