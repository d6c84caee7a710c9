"""Who is asking: the person behind an authenticated API request."""

from rest_framework.request import Request

from accounts.models import User


def request_user(request: Request) -> User:
    """The authenticated person (a permission class such as IsAuthenticated ran before)."""
    user = request.user
    assert isinstance(user, User)
    return user
