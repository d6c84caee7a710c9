"""Who is asking: the person behind a page request or an authenticated API request."""

from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a @login_required view receives: its user is a real User, never anonymous."""

    user: User


def request_user(request: Request) -> User:
    """The authenticated person (a permission class such as IsAuthenticated ran before)."""
    user = request.user
    assert isinstance(user, User)
    return user
