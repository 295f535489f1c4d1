from django.urls import path

from . import views

app_name = "redteam"

urlpatterns = [
    path("", views.suite_list, name="suites"),
    path("suites/<int:pk>/", views.suite_detail, name="suite"),
    path("suites/<int:pk>/settings/", views.suite_settings, name="suite_settings"),
    path("suites/<int:pk>/runs/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/cancel/", views.run_cancel_view, name="run_cancel"),
    path("runs/<int:pk>/requeue/", views.run_requeue, name="run_requeue"),
    path("runs/<int:pk>/matchups/", views.matchup_start, name="matchup_start"),
    path(
        "runs/<int:pk>/matchups/<int:matchup_id>/requeue/",
        views.matchup_requeue_view,
        name="matchup_requeue",
    ),
]
