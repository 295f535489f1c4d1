"""REST API for samples, queues, claims, reviews, adjudication and gold labels.

Reviewers see only the queues assigned to them and the item each claim hands them; review leads
and researchers draw samples; leads open queues and adjudicate; gold labels (with their rationales
and whether the AI was right) are for the roles that hold VIEW_AGREEMENT. The same services as the
pages do the work.
"""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet
from labeling.filters import LabelFilter

from . import selectors
from .models import (
    Adjudication,
    GoldLabel,
    ReviewQueue,
    ReviewSample,
    ReviewSlot,
    SampleDrawJob,
)
from .serializers import (
    AdjudicationSerializer,
    ClaimSerializer,
    DecideSerializer,
    GoldLabelSerializer,
    QueueOpenSerializer,
    ReviewInputSerializer,
    ReviewQueueSerializer,
    ReviewSampleSerializer,
    ReviewSerializer,
    SampledLabelSerializer,
    SampleDrawJobSerializer,
    SampleDrawSerializer,
    SlotActionSerializer,
)
from .services import draws as draw_services
from .services import queues as queue_services
from .services import samples as sample_services

REVIEW_ACTIONS = ("next", "review", "skip", "flag", "undo")


class SampleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = ReviewSample.objects.select_related("created_by").order_by("-created_at")
    serializer_class = ReviewSampleSerializer
    filterset_fields = ["label_kind", "strategy"]
    read_permission = permissions.SEE_SAMPLES  # leads and researchers
    action_permissions = {"create": permissions.DRAW_SAMPLE}

    @extend_schema(request=None, responses=SampledLabelSerializer(many=True))
    @action(detail=True, methods=["get"])
    def labels(self, request, pk=None):
        """The sampled labels with their strata and inclusion probabilities."""
        page = self.paginate_queryset(self.get_object().labels.order_by("id"))
        return self.get_paginated_response(SampledLabelSerializer(page, many=True).data)

    @extend_schema(
        request=SampleDrawSerializer,
        responses={201: ReviewSampleSerializer, 202: SampleDrawJobSerializer},
    )
    def create(self, request):
        """Draw a sample (reproducible from its seed): 201 with the sample. Active sampling
        embeds every candidate, so it is queued: 202 with the draw job, whose URL (also in the
        Location header) says how far it is and, once done, which sample it drew."""
        data = dict(self.validated(SampleDrawSerializer))
        runs = [*data.pop("runs", []), *data.pop("redteam_runs", [])]
        where = LabelFilter(
            runs=tuple(run.pk for run in runs),
            principle_codes=tuple(data.pop("principle_codes", [])),
            domains=tuple(data.pop("domains", [])),
            locales=tuple(data.pop("locales", [])),
            judges=tuple(judge.pk for judge in data.pop("judges", [])),
            sources=tuple(source.pk for source in data.pop("sources", [])),
        )
        drawn = sample_services.sample_draw_requested(actor=request.user, where=where, **data)
        if isinstance(drawn, SampleDrawJob):
            location = reverse("sample-draw-detail", args=[drawn.pk], request=request)
            body = SampleDrawJobSerializer(drawn).data
            return Response(body, status=202, headers={"Location": location})
        return Response(ReviewSampleSerializer(drawn).data, status=201)


class SampleDrawJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Queued active draws: poll one until its status is done (then `sample` names the sample)
    or failed (then `error` says why, and retry queues it again)."""

    queryset = SampleDrawJob.objects.select_related("created_by").order_by("-created_at")
    serializer_class = SampleDrawJobSerializer
    filterset_fields = ["status"]
    read_permission = permissions.SEE_SAMPLES  # as for samples
    action_permissions = {"retry": permissions.DRAW_SAMPLE}

    @extend_schema(request=None, responses={202: SampleDrawJobSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed draw again (400 unless it failed)."""
        job = draw_services.sample_draw_job_retry(actor=request.user, job=self.get_object())
        return Response(SampleDrawJobSerializer(job).data, status=202)


class QueueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = ReviewQueueSerializer
    # Any logged-in user; the queryset keeps reviewers to their queues.
    read_permission = permissions.AUTHENTICATED
    # Reviewing is open to any logged-in user; the services check the queue is assigned to them.
    action_permissions = {
        "create": permissions.LEAD_REVIEWS,
        **dict.fromkeys(REVIEW_ACTIONS, permissions.AUTHENTICATED),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ReviewQueue.objects.none()
        if self.action == "list":
            return (
                selectors.queues_for(self.request.user)
                .prefetch_related("reviewers")
                .order_by("-id")
            )
        # Claims and reviews: no progress counts (an aggregate over every slot per request).
        return selectors.queues_visible_to(self.request.user).select_related("sample")

    @extend_schema(request=QueueOpenSerializer, responses={201: ReviewQueueSerializer})
    def create(self, request):
        data = dict(self.validated(QueueOpenSerializer))
        users = list(get_user_model().objects.filter(username__in=data.pop("reviewers")))
        queue = queue_services.queue_open(actor=request.user, reviewers=users, **data)
        return Response(ReviewQueueSerializer(queue).data, status=201)

    def _claim_payload(self, queue, slot):
        return ClaimSerializer(selectors.claim_view(queue=queue, slot=slot)).data

    @extend_schema(request=None, responses={200: ClaimSerializer, 204: None})
    @action(detail=True, methods=["post"])
    def next(self, request, pk=None):
        """Claim your next item (204 when none is left for you)."""
        queue = self.get_object()
        slot = queue_services.slot_next(reviewer=request.user, queue=queue)
        if slot is None:
            return Response(status=204)
        return Response(self._claim_payload(queue, slot))

    def _slot(self, queue, slot_id):
        return get_object_or_404(ReviewSlot, pk=slot_id, queue=queue, reviewer=self.request.user)

    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Submit a verdict for a claimed slot."""
        queue = self.get_object()
        data = dict(self.validated(ReviewInputSerializer))
        slot = self._slot(queue, data.pop("slot"))
        seconds = data.pop("seconds_spent")
        verdict = {key: value for key, value in data.items() if value is not None}
        review = queue_services.review_submit(
            reviewer=request.user, slot=slot, seconds_spent=seconds, **verdict
        )
        return Response(ReviewSerializer(review).data, status=201)

    @extend_schema(request=SlotActionSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def skip(self, request, pk=None):
        queue = self.get_object()
        data = self.validated(SlotActionSerializer)
        queue_services.slot_skip(reviewer=request.user, slot=self._slot(queue, data["slot"]))
        return Response(status=204)

    @extend_schema(request=SlotActionSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def flag(self, request, pk=None):
        """Flag the principle as ambiguous on this item (for the policy team)."""
        queue = self.get_object()
        data = self.validated(SlotActionSerializer)
        queue_services.principle_flag(
            reviewer=request.user, slot=self._slot(queue, data["slot"]),
            principle_code=data["principle_code"], note=data["note"],
        )  # fmt: skip
        return Response(status=204)

    @extend_schema(request=None, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Take back your last review (within 5 minutes); its item is yours again."""
        queue = self.get_object()
        slot = queue_services.review_undo_last(reviewer=request.user, queue=queue)
        return Response(self._claim_payload(queue, slot))


class AdjudicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = Adjudication.objects.order_by("status", "created_at")
    serializer_class = AdjudicationSerializer
    filterset_fields = ["status"]
    read_permission = permissions.LEAD_REVIEWS  # only review leads adjudicate
    action_permissions = {"decide": permissions.LEAD_REVIEWS}

    @extend_schema(request=DecideSerializer, responses={201: GoldLabelSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = self.validated(DecideSerializer)
        gold = queue_services.adjudication_decide(
            actor=request.user, adjudication=self.get_object(), **data
        )
        return Response(GoldLabelSerializer(gold).data, status=201)


class GoldLabelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Gold labels say whether the AI was right: never for reviewers, who audit it blind."""

    read_permission = permissions.VIEW_AGREEMENT
    queryset = GoldLabel.objects.select_related("decided_by").order_by("id")
    serializer_class = GoldLabelSerializer
    filterset_fields = ["source", "sampled_label__sample"]
