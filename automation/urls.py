from django.urls import path

from . import views

app_name = "automation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/pause/", views.rule_pause, name="rule_pause"),
    path("schedules/new/", views.schedule_create, name="schedule_create"),
    path("schedules/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path("checks/new/", views.check_create, name="check_create"),
    path("checks/<int:pk>/", views.check_edit, name="check_edit"),
    path(
        "schedules/<int:pk>/pause/",
        views.scheduled_pause,
        {"what": "schedules"},
        name="schedule_pause",
    ),
    path("checks/<int:pk>/pause/", views.scheduled_pause, {"what": "checks"}, name="check_pause"),
]
