"""Find and replace across the transcripts of a corpus (the rules: annotation.api.replace)."""

import uuid

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import request_user
from annotation.api.replace import (
    REPLACE_DESCRIPTION,
    REPLACE_EXAMPLE,
    ReplaceRequestSerializer,
    ReplaceResponseSerializer,
    replace_response,
)
from annotation.selectors import corpus_transcripts
from corpora.access import Can, corpus_get

from .common import CORPUS_PATH, TAG


class CorpusReplaceView(APIView):
    @extend_schema(
        operation_id="corpora_transcripts_replace",
        summary="Find and replace in a corpus's transcripts",
        description=REPLACE_DESCRIPTION
        + " Every transcript of the corpus, oldest first. Needs the annotator role (or more) in "
        "the corpus: a viewer gets a 403.",
        tags=[TAG],
        parameters=[CORPUS_PATH],
        request=ReplaceRequestSerializer,
        responses={200: ReplaceResponseSerializer},
        examples=[OpenApiExample("A preview", value=REPLACE_EXAMPLE, request_only=True)],
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        corpus = corpus_get(user=request_user(request), public_id=public_id, can=Can.ANNOTATE)
        return replace_response(request, corpus_transcripts(corpus=corpus))
