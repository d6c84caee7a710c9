"""Feedback through the API: list what you may read, say a label (or a segment's text) is wrong;
and judgements: reviewers accept, reject or relabel an item of the review queue.

Who may read feedback, and on which predictions one may send it, is decided by annotation.access
(through review.selectors), exactly as on the result pages.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import request_user

from .display import judgement_result
from .models import Feedback, ReviewItem
from .selectors import (
    feedback_list_visible,
    prediction_get_for_feedback,
    review_counts,
    review_item_get,
)
from .serializers import (
    BulkJudgementResultSerializer,
    BulkJudgementSerializer,
    FeedbackCreateSerializer,
    FeedbackSerializer,
    JudgementCreateSerializer,
    JudgementResultSerializer,
)
from .services import feedback_submit, judgement_record

TAG = "feedback"

# The service's refusals, by code, and the field each one is about.
FIELD_OF_CODE = {
    "label": "suggested_label",
    "same_label": "suggested_label",
    "no_sentence": "sentence_index",
    "stale_sentence": "sentence_index",
    "not_a_segment": "kind",
    "kind": "kind",
    "too_long": "comment",
}

FEEDBACK_EXAMPLE = {
    "id": 311,
    "prediction": 4182,
    "submission": "5b0f7c1e-3d2a-4c8b-9e61-0f2d8a4b7c39",
    "corpus": "c4a1e2f3-7b6d-4e5f-8a9b-1c2d3e4f5a6b",
    "segment": None,
    "sentence_index": 1,
    "kind": "register",
    "suggested_label": "neutre",
    "comment": "Le début est familier, mais la suite de la phrase est neutre.",
    "author": {"name": "Camille Martin", "is_you": True},
    "created_at": "2025-03-14T09:52:31.004000+01:00",
}


class FeedbackFilter(filters.FilterSet):
    corpus = filters.UUIDFilter(
        field_name="prediction__submission__corpus__public_id",
        help_text="Only feedback on the submissions of this corpus (its id).",
    )
    kind = filters.ChoiceFilter(choices=Feedback.Kind.choices, help_text="register or transcript.")
    submission = filters.UUIDFilter(
        field_name="prediction__submission__public_id",
        help_text="Only feedback on this submission (its id).",
    )

    class Meta:
        model = Feedback
        fields = ["corpus", "kind", "submission"]


@extend_schema_view(
    get=extend_schema(
        operation_id="feedback_list",
        summary="List feedback",
        description=(
            "Your own feedback, and everybody's on the submissions of the corpora you own or "
            "review (reviewer role), newest first. Cursor pages; filters combine."
        ),
        tags=[TAG],
        examples=[OpenApiExample("A sentence flagged", value=FEEDBACK_EXAMPLE, response_only=True)],
    ),
    post=extend_schema(
        operation_id="feedback_create",
        summary="Send feedback",
        description=(
            "Says that a prediction's register (the whole text, one sentence, or a transcript "
            "segment) is wrong and which one is right, or that a segment's text is wrong; it "
            "goes to the review queue. Sending it again for the same prediction, sentence and "
            "kind updates your earlier feedback (200) instead of adding one. Needs the annotator "
            "role (or more) in the submission's corpus, or to be its author; a prediction of a "
            "submission you cannot see is a 404."
        ),
        tags=[TAG],
        request=FeedbackCreateSerializer,
        responses={
            201: OpenApiResponse(FeedbackSerializer, description="Recorded."),
            200: OpenApiResponse(FeedbackSerializer, description="Your earlier one, updated."),
        },
        examples=[
            OpenApiExample(
                "The second sentence is neutre",
                value={
                    "prediction": 4182,
                    "sentence_index": 1,
                    "kind": "register",
                    "suggested_label": "neutre",
                    "comment": FEEDBACK_EXAMPLE["comment"],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Recorded", value=FEEDBACK_EXAMPLE, response_only=True, status_codes=["201"]
            ),
        ],
    ),
)
class FeedbackListView(generics.ListAPIView[Feedback]):
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    queryset = Feedback.objects.none()  # the model, for the schema and the filters

    def get_queryset(self) -> QuerySet[Feedback]:
        return feedback_list_visible(user=request_user(self.request))

    def post(self, request: Request) -> Response:
        user = request_user(request)
        payload = FeedbackCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        prediction = prediction_get_for_feedback(user=user, prediction_id=data["prediction"])
        try:
            feedback, created = feedback_submit(
                user=user,
                prediction=prediction,
                sentence_index=data.get("sentence_index"),
                kind=data["kind"],
                suggested_label=data.get("suggested_label", ""),
                comment=data.get("comment", ""),
            )
        except DjangoValidationError as error:
            field = FIELD_OF_CODE.get(error.code or "", "non_field_errors")
            raise serializers.ValidationError({field: error.messages}) from None
        feedback = feedback_list_visible(user=user).get(pk=feedback.pk)
        return Response(
            FeedbackSerializer(feedback, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CanReview(BasePermission):
    """Reviewers (the review.review_items permission), as for the review queue's page."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm("review.review_items"))


class JudgementCreateView(APIView):
    permission_classes = [CanReview]

    @extend_schema(
        operation_id="review_item_judge",
        summary="Judge a review item",
        description=(
            "Accepts, rejects or relabels an item of the review queue; judging it again replaces "
            "your earlier judgement, and the item's register is the majority of its judgements. "
            "Reviewers only (403 for others); an unknown item is a 404."
        ),
        tags=["review"],
        request=JudgementCreateSerializer,
        responses={200: JudgementResultSerializer},
        examples=[
            OpenApiExample(
                "Relabel", value={"decision": "relabel", "label": "neutre"}, request_only=True
            ),
            OpenApiExample(
                "Decided",
                value={
                    "item": 57,
                    "decision": "relabel",
                    "label": "neutre",
                    "status": "decided",
                    "final_label": "neutre",
                    "judgements": 1,
                    "message": "Relabel: neutre. Decided register: neutre.",
                    "counts": {"open": 41, "flags": 3, "uncertain": 38, "decided": 120},
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request, item_id: int) -> Response:
        item = review_item_get(item_id=item_id)
        payload = JudgementCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            result = _judge(item, request, data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(_refusal(error)) from None
        return Response(JudgementResultSerializer({**result, "counts": review_counts()}).data)


def _judge(item: ReviewItem, request: Request, data: dict[str, Any]) -> dict[str, object]:
    """One judgement through the one write path (services.judgement_record), and its answer."""
    judgement = judgement_record(
        item=item,
        reviewer=request_user(request),
        decision=data["decision"],
        label=data.get("label") or None,
    )
    item.refresh_from_db()
    return judgement_result(item, judgement)


def _refusal(error: DjangoValidationError) -> dict[str, list[str]]:
    return {"label" if error.code == "label" else "decision": error.messages}


class BulkJudgementView(APIView):
    permission_classes = [CanReview]

    @extend_schema(
        operation_id="review_items_judge",
        summary="Judge several review items",
        description=(
            "Several judgements at once, each as `POST /review/items/{id}/judgement/` would "
            "record it, one after the other: one that is refused leaves the others recorded. "
            "The answer gives each item's outcome (`status` 200, 400 or 404) and the queue's "
            "counts. A malformed body (no list, an item twice, more than 100) is a 400 and "
            "records nothing. Reviewers only (403 for others)."
        ),
        tags=["review"],
        request=BulkJudgementSerializer,
        responses={200: BulkJudgementResultSerializer},
        examples=[
            OpenApiExample(
                "Two items are neutre",
                value={
                    "judgements": [
                        {"item": 57, "decision": "relabel", "label": "neutre"},
                        {"item": 58, "decision": "relabel", "label": "neutre"},
                    ]
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        payload = BulkJudgementSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        outcomes: list[dict[str, object]] = []
        for entry in payload.validated_data["judgements"]:
            outcome: dict[str, object] = {"item": entry["item"]}
            try:
                item = review_item_get(item_id=entry["item"])
                outcome["result"] = _judge(item, request, entry)
                outcome["status"] = status.HTTP_200_OK
            except Http404:
                outcome["status"] = status.HTTP_404_NOT_FOUND
                outcome["errors"] = {"item": [str(_("No such review item."))]}
            except DjangoValidationError as error:
                outcome["status"] = status.HTTP_400_BAD_REQUEST
                outcome["errors"] = _refusal(error)
            outcomes.append(outcome)
        answer: dict[str, object] = {"results": outcomes, "counts": review_counts()}
        return Response(BulkJudgementResultSerializer(answer).data)
