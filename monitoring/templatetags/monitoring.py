"""Template tags: the staff alert banner (templates/base.html)."""

from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache

from ..services import ALERT_BANNER_CACHE_KEY, alert_active

register = template.Library()

# The banner is on every staff page: it reads the alert Celery beat raises (alert_check_task, every
# minute), one indexed query at most this often; a template never raises an alert nor sends mail.
ALERT_BANNER_TTL = 30
_NO_ALERT = "none"


def _request_user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("monitoring/_alert_banner.html", takes_context=True)
def staff_alert_banner(context: template.Context) -> dict[str, Any]:
    user = _request_user(context)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"alert": None}
    banner = cache.get(ALERT_BANNER_CACHE_KEY)
    if banner is None:
        alert = alert_active()
        banner = (
            {
                "count": alert.count,
                "threshold": alert.threshold,
                "minutes": settings.PARLURE_ALERT_WINDOW_MINUTES,
                "raised_at": alert.created_at,
            }
            if alert is not None
            else _NO_ALERT
        )
        cache.set(ALERT_BANNER_CACHE_KEY, banner, ALERT_BANNER_TTL)
    return {"alert": None if banner == _NO_ALERT else banner}
