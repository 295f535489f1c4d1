from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("import/", views.label_import, name="import"),
    path("sources/<slug:key>/categories/", views.category_map, name="categories"),
]
