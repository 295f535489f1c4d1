from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.queue_list, name="queues"),
    path("samples/new/", views.sample_create, name="sample_create"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    path("draws/<int:pk>/", views.draw_job, name="draw_job"),
    path("draws/<int:pk>/retry/", views.draw_job_retry, name="draw_job_retry"),
    path("queues/<int:pk>/", views.workspace, name="workspace"),
    path("queues/<int:pk>/submit/", views.review_submit, name="submit"),
    path("queues/<int:pk>/skip/", views.slot_skip, name="skip"),
    path("queues/<int:pk>/flag/", views.slot_flag, name="flag"),
    path("queues/<int:pk>/undo/", views.review_undo, name="undo"),
    path("adjudication/", views.adjudication_list, name="adjudication"),
    path("adjudication/<int:pk>/decide/", views.adjudication_decide, name="decide"),
]
