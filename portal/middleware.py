from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
