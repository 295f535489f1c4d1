from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("snapshots/new/", views.snapshot_new, name="snapshot_new"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/retry/", views.export_retry, name="export_retry"),
    path("snapshots/<int:pk>/files/<str:name>", views.snapshot_file, name="snapshot_file"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/cancel/", views.job_cancel_view, name="job_cancel"),
    path("jobs/<int:pk>/requeue/", views.job_requeue_view, name="job_requeue"),
    path("jobs/<int:pk>/files/<str:name>", views.job_file, name="job_file"),
    path("jobs/<int:pk>/package/", views.job_package, name="job_package"),
    path("jobs/<int:pk>/package/pack/", views.job_package_request, name="job_package_request"),
]
