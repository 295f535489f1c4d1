from django.urls import path

from . import views

app_name = "constitutions"

urlpatterns = [
    path("", views.constitution_list, name="list"),
    path("new/", views.constitution_create, name="create"),
    path("import/", views.version_import, name="import"),
    path("<int:pk>/", views.constitution_detail, name="detail"),
    path("<int:pk>/settings/", views.constitution_settings, name="settings"),
    path("<int:pk>/reviewed/", views.constitution_mark_reviewed, name="mark_reviewed"),
    path("<int:pk>/history/", views.constitution_history, name="history"),
    path("<int:pk>/import/", views.version_import, name="import_into"),
    path("<int:pk>/diff/", views.version_diff_pick, name="diff_pick"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/fork/", views.version_fork, name="fork"),
    path("versions/<int:pk>/publish/", views.version_publish, name="publish"),
    path("versions/<int:pk>/discard/", views.version_discard, name="discard"),
    path("versions/<int:pk>/export.yaml", views.version_export, name="export"),
    path("versions/<int:pk>/tags/", views.release_tag_add, name="tag_add"),
    path("versions/<int:pk>/principles/new/", views.principle_create, name="principle_create"),
    path("versions/<int:old>/diff/<int:new>/", views.version_diff, name="diff"),
    path("principles/<int:pk>/edit/", views.principle_edit, name="principle_edit"),
    path("principles/<int:pk>/delete/", views.principle_delete, name="principle_delete"),
    path("tags/<int:pk>/delete/", views.release_tag_remove, name="tag_remove"),
]
