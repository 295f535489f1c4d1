"""REST API for constitutions, versions, principles, diffs and release tags.

Reads need a logged-in user (session or token); each write names the permission it needs (checked
by the API base, and again in the services).
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet
from cai_audit.uploads import request_body_limit

from . import selectors, services
from .models import Constitution, ConstitutionVersion, Principle, ReleaseTag
from .serializers import (
    ConstitutionInputSerializer,
    ConstitutionOutputSerializer,
    ConstitutionUpdateSerializer,
    DiffSerializer,
    ImportInputSerializer,
    PrincipleCreateSerializer,
    PrincipleOutputSerializer,
    PrincipleUpdateSerializer,
    PublishInputSerializer,
    ReleaseTagInputSerializer,
    ReleaseTagOutputSerializer,
    VersionDetailSerializer,
    VersionDocumentSerializer,
    VersionOutputSerializer,
)


class ConstitutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.AUTHENTICATED  # constitutions are public to the logged-in
    action_permissions = dict.fromkeys(
        ("create", "partial_update", "reviewed"), permissions.AUTHOR_CONSTITUTION
    )
    queryset = Constitution.objects.prefetch_related("owners").order_by("name")
    serializer_class = ConstitutionOutputSerializer
    filterset_fields = ["name"]

    @extend_schema(
        request=ConstitutionInputSerializer, responses={201: ConstitutionOutputSerializer}
    )
    def create(self, request):
        data = self.validated(ConstitutionInputSerializer)
        constitution = services.constitution_create(actor=request.user, **data)
        return Response(ConstitutionOutputSerializer(constitution).data, status=201)

    @extend_schema(request=ConstitutionUpdateSerializer, responses=ConstitutionOutputSerializer)
    def partial_update(self, request, pk=None):
        data = self.validated(ConstitutionUpdateSerializer, partial=True)
        constitution = services.constitution_update(
            actor=request.user, constitution=self.get_object(), **data
        )
        return Response(ConstitutionOutputSerializer(constitution).data)

    @extend_schema(request=None, responses=ConstitutionOutputSerializer)
    @action(detail=True, methods=["post"])
    def reviewed(self, request, pk=None):
        """Mark the constitution reviewed now (resets its review-due date)."""
        constitution = services.constitution_mark_reviewed(
            actor=request.user, constitution=self.get_object()
        )
        return Response(ConstitutionOutputSerializer(constitution).data)


class VersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.AUTHENTICATED
    queryset = (
        ConstitutionVersion.objects.select_related("constitution", "created_by", "published_by")
        .prefetch_related("tags")
        .order_by("constitution_id", "-number")
    )
    filterset_fields = ["constitution", "status", "number"]
    action_permissions = {
        "fork": permissions.AUTHOR_CONSTITUTION,
        "publish": permissions.PUBLISH_CONSTITUTION,
        "destroy": permissions.AUTHOR_CONSTITUTION,
        "import_yaml": permissions.AUTHOR_CONSTITUTION,
    }

    def get_serializer_class(self):
        return VersionDetailSerializer if self.action == "retrieve" else VersionOutputSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            principles = Principle.objects.select_related("updated_by")
            queryset = queryset.prefetch_related(Prefetch("principles", queryset=principles))
        return queryset

    @extend_schema(request=None, responses={201: VersionOutputSerializer})
    @action(detail=True, methods=["post"])
    def fork(self, request, pk=None):
        """Start a new draft from this version (the way to edit a published one)."""
        draft = services.version_fork(actor=request.user, version=self.get_object())
        return Response(VersionOutputSerializer(draft).data, status=201)

    @extend_schema(request=PublishInputSerializer, responses=VersionOutputSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft with a changelog note. Published versions never change again."""
        data = self.validated(PublishInputSerializer)
        version = services.version_publish(
            actor=request.user, version=self.get_object(), changelog=data["changelog"]
        )
        return Response(VersionOutputSerializer(version).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        """Discard a draft. Published versions cannot be deleted (409)."""
        services.version_discard(actor=request.user, version=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/yaml"): VersionDocumentSerializer})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """The version as a YAML document that `import` accepts."""
        text = selectors.version_export_yaml(version=self.get_object())
        return HttpResponse(text, content_type="application/yaml")

    @extend_schema(request=ImportInputSerializer, responses={201: VersionOutputSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_yaml(self, request):
        """Import a YAML document as a new draft. All or nothing: a 400 lists every problem."""
        with request_body_limit():
            data = self.validated(ImportInputSerializer)
        draft = services.version_import_yaml(
            actor=request.user, text=data["yaml"], constitution=data.get("constitution")
        )
        return Response(VersionOutputSerializer(draft).data, status=201)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against", int, required=True, description="Version id to compare from."
            )
        ],
        responses=DiffSerializer,
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        """What changed from version `against` to this one, per principle code, word by word."""
        new = self.get_object()
        against = request.query_params.get("against", "")
        if not against.isdigit():
            return Response({"detail": "Give ?against=<version id>."}, status=400)
        old = get_object_or_404(ConstitutionVersion, pk=int(against))
        diff = selectors.version_diff(old=old, new=new)
        return Response({"old": old.pk, "new": new.pk, **diff.as_dict()})


class PrincipleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.AUTHENTICATED
    action_permissions = dict.fromkeys(
        ("create", "partial_update", "destroy"), permissions.AUTHOR_CONSTITUTION
    )
    queryset = Principle.objects.select_related("updated_by").order_by(
        "version_id", "priority", "code", "locale"
    )
    serializer_class = PrincipleOutputSerializer
    filterset_fields = ["version", "code", "locale", "category"]

    def conflict_serializer(self, instance):
        return PrincipleOutputSerializer(instance)

    @extend_schema(request=PrincipleCreateSerializer, responses={201: PrincipleOutputSerializer})
    def create(self, request):
        data = dict(self.validated(PrincipleCreateSerializer))
        principle = services.principle_create(
            actor=request.user, version=data.pop("version"), **data
        )
        return Response(PrincipleOutputSerializer(principle).data, status=201)

    @extend_schema(request=PrincipleUpdateSerializer, responses=PrincipleOutputSerializer)
    def partial_update(self, request, pk=None):
        """Edit a draft principle. Send the lock_version you read; 409 if someone saved since."""
        data = dict(self.validated(PrincipleUpdateSerializer, partial=True))
        if "lock_version" not in data:
            return Response({"detail": "lock_version is required."}, status=400)
        principle = services.principle_update(
            actor=request.user,
            principle=self.get_object(),
            lock_version=data.pop("lock_version"),
            **data,
        )
        return Response(PrincipleOutputSerializer(principle).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.principle_delete(actor=request.user, principle=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReleaseTagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.AUTHENTICATED
    queryset = ReleaseTag.objects.select_related("created_by").order_by("-created_at")
    serializer_class = ReleaseTagOutputSerializer
    filterset_fields = ["version", "name"]
    action_permissions = dict.fromkeys(("create", "destroy"), permissions.PUBLISH_CONSTITUTION)

    @extend_schema(request=ReleaseTagInputSerializer, responses={201: ReleaseTagOutputSerializer})
    def create(self, request):
        data = dict(self.validated(ReleaseTagInputSerializer))
        tag = services.release_tag_add(actor=request.user, version=data.pop("version"), **data)
        return Response(ReleaseTagOutputSerializer(tag).data, status=201)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.release_tag_remove(actor=request.user, tag=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
