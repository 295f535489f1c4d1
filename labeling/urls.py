from django.urls import path

from . import source_views, views

app_name = "labeling"

urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("runs/<int:pk>/requeue/", views.run_requeue, name="run_requeue"),
    path("items/", views.item_set_list, name="item_sets"),
    path("items/<int:pk>/", views.item_set_detail, name="item_set"),
    path("item/<int:pk>/", views.item_detail, name="item"),
    path("critics/", views.critic_list, name="critics"),
    path("critics/new/", views.critic_edit, name="critic_create"),
    path("critics/<int:pk>/edit/", views.critic_edit, name="critic_edit"),
    path("judges/", source_views.judge_list, name="judges"),
    path("judges/new/", source_views.judge_edit, name="judge_create"),
    path("judges/<int:pk>/", source_views.judge_detail, name="judge"),
    path("judges/<int:pk>/edit/", source_views.judge_edit, name="judge_edit"),
    path("sources/", source_views.source_list, name="sources"),
    path("sources/new/", source_views.source_edit, name="source_create"),
    path("sources/<int:pk>/", source_views.source_detail, name="source"),
    path("sources/<int:pk>/edit/", source_views.source_edit, name="source_edit"),
    path("stream/", source_views.stream, name="stream"),
]
