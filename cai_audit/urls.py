from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from constitutions import api as constitution_api

router = DefaultRouter()
router.register("constitutions", constitution_api.ConstitutionViewSet, basename="constitution")
router.register("versions", constitution_api.VersionViewSet, basename="version")
router.register("principles", constitution_api.PrincipleViewSet, basename="principle")
router.register("release-tags", constitution_api.ReleaseTagViewSet, basename="release-tag")

urlpatterns = [
    path("", lambda request: redirect("constitutions:list"), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("constitutions/", include("constitutions.urls")),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/auth/token/", obtain_auth_token, name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
