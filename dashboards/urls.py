from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("by/<slug:by>/", views.breakdown, name="breakdown"),
    path("principles/<str:code>/", views.principle, name="principle"),
    path("versions/", views.versions, name="versions"),
    path("time/", views.time, name="time"),
    path("reviewers/", views.reviewers, name="reviewers"),
    path("items/", views.items, name="items"),
]
