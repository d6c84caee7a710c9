from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from common.jobs import JobQueueUnavailable
from common.rest.errors import error_body, is_api_request


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """The portal speaks French unless the person picked another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so most visitors
    would get English; here only the language cookie (set by the switch) overrides LANGUAGE_CODE.
    The API is the exception: a program asks for its language with Accept-Language (French when
    it asks for none or for one the portal does not speak).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        if chosen not in available and request.path.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        translation.activate(chosen if chosen in available else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class JobQueueUnavailableMiddleware:
    """A job that could not be sent (the broker is down) answers 503, saying that nothing is lost.

    The job's row was saved before the sending failed (jobs are sent once their transaction
    commits); the reconciler sends it once the broker is back. Pages get a page that says so,
    the API its error format, both with Retry-After.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, JobQueueUnavailable):
            return None
        message = _(
            "The service that processes annotations is unavailable for a moment. What you sent "
            "is saved and will be processed as soon as it is back: there is no need to send it "
            "again."
        )
        response: HttpResponse
        if is_api_request(request):
            response = JsonResponse(error_body(503, "queue_unavailable", str(message)), status=503)
        else:
            response = render(
                request, "job_queue_unavailable.html", {"message": message}, status=503
            )
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
