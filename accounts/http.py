from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a @login_required view receives: its user is a real User, never anonymous."""

    user: User
