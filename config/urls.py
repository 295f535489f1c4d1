from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from automation import api as automation_api
from cai_audit.api_pages import RedocView, SwaggerView
from cai_audit.auth import ThrottledLoginView, TokenObtainView, TokenRotateView
from constitutions import api as constitution_api
from dashboards import api as dashboards_api
from ingest import api as ingest_api
from labeling import api as labeling_api
from notifications import api as notifications_api
from redteam import api as redteam_api
from reviews import api as reviews_api
from training import api as training_api

router = DefaultRouter()
# No `.json` suffix routes: custom actions do not take a `format` argument (a 500 before), and
# `?format=json` or the Accept header choose the renderer anyway.
router.include_format_suffixes = False
router.register("constitutions", constitution_api.ConstitutionViewSet, basename="constitution")
router.register("versions", constitution_api.VersionViewSet, basename="version")
router.register("principles", constitution_api.PrincipleViewSet, basename="principle")
router.register("release-tags", constitution_api.ReleaseTagViewSet, basename="release-tag")
router.register("item-sets", labeling_api.ItemSetViewSet, basename="item-set")
router.register("items", labeling_api.ItemViewSet, basename="item")
router.register("critics", labeling_api.CriticConfigViewSet, basename="critic")
router.register("runs", labeling_api.RunViewSet, basename="run")
router.register("judges", labeling_api.JudgeViewSet, basename="judge")
router.register("label-sources", labeling_api.LabelSourceViewSet, basename="label-source")
router.register("critique-labels", labeling_api.CritiqueLabelViewSet, basename="critique-label")
router.register(
    "preference-labels", labeling_api.PreferenceLabelViewSet, basename="preference-label"
)
router.register("samples", reviews_api.SampleViewSet, basename="sample")
router.register("sample-draws", reviews_api.SampleDrawJobViewSet, basename="sample-draw")
router.register("queues", reviews_api.QueueViewSet, basename="queue")
router.register("adjudications", reviews_api.AdjudicationViewSet, basename="adjudication")
router.register("gold-labels", reviews_api.GoldLabelViewSet, basename="gold-label")
router.register("agreement", dashboards_api.AgreementViewSet, basename="agreement")
router.register("snapshots", training_api.SnapshotViewSet, basename="snapshot")
router.register(
    "snapshot-exports", training_api.SnapshotExportJobViewSet, basename="snapshot-export"
)
router.register("training-jobs", training_api.TrainingJobViewSet, basename="training-job")
router.register("redteam-suites", redteam_api.SuiteViewSet, basename="redteam-suite")
router.register("redteam-runs", redteam_api.RunViewSet, basename="redteam-run")
router.register(
    "notification-channels", notifications_api.ChannelViewSet, basename="notification-channel"
)
router.register(
    "notification-deliveries", notifications_api.DeliveryViewSet, basename="notification-delivery"
)
router.register("automation-rules", automation_api.RuleViewSet, basename="automation-rule")
router.register("label-imports", ingest_api.LabelImportViewSet, basename="label-import")
# The streaming ingestion endpoint: a source key and a kind (or a kind per row) in the path.
ingest_batch = ingest_api.IngestViewSet.as_view({"post": "create"})
ingest_batch_mixed = ingest_api.IngestMixedViewSet.as_view({"post": "create"})

urlpatterns = [
    path("", lambda request: redirect("constitutions:list"), name="home"),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("constitutions/", include("constitutions.urls")),
    path("labeling/", include("labeling.urls")),
    path("ingest/", include("ingest.urls")),
    path("reviews/", include("reviews.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("training/", include("training.urls")),
    path("redteam/", include("redteam.urls")),
    path("notifications/", include("notifications.urls")),
    path("automation/", include("automation.urls")),
    path("admin/", admin.site.urls),
    path("api/ingest/<slug:source>/<slug:kind>/", ingest_batch, name="ingest-batch"),
    path("api/ingest/<slug:source>/", ingest_batch_mixed, name="ingest-batch-kinds"),
    path("api/", include(router.urls)),
    path("api/auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("api/auth/token/rotate/", TokenRotateView.as_view(), name="api-token-rotate"),
    # The schema and its pages need a login too (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); the
    # pages send a browser to the login page instead of answering 403.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", login_required(SwaggerView.as_view(url_name="schema")), name="swagger-ui"),
    path("api/redoc/", login_required(RedocView.as_view(url_name="schema")), name="redoc"),
]
