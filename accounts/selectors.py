"""Reads about people and their API keys."""

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken, User


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    """A person's usable keys, newest first; revoked ones are kept as records but not listed."""
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    return active.order_by("-created_at", "-id")


def api_token_get_for_user(*, user: User, token_id: int) -> ApiToken:
    """One of the person's usable keys. Someone else's key, or a revoked one, is a 404: whether
    a key id exists is none of another person's business."""
    token = api_token_list_for_user(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such API key.")
    return token
