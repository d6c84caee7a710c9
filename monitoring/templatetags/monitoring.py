"""Template tags: the staff alert banner (templates/base.html), figures as /suivi/ shows them."""

from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache

from .. import charts
from ..labels import drift_labels
from ..selectors import drift_alert_active
from ..services import ALERT_BANNER_CACHE_KEY, alert_active

register = template.Library()

# The banner is on every staff page: it reads the alert Celery beat raises (alert_check_task, every
# minute), one indexed query at most this often; a template never raises an alert nor sends mail.
ALERT_BANNER_TTL = 30


def _request_user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.filter
def figure(value: float | None) -> str:
    """A figure in the page's language, at most two decimals without trailing zeros; — for none."""
    return "—" if value is None else charts.number(value)


@register.inclusion_tag("monitoring/_alert_banner.html", takes_context=True)
def staff_alert_banner(context: template.Context) -> dict[str, Any]:
    user = _request_user(context)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"alert": None, "drift": None}
    banner = cache.get(ALERT_BANNER_CACHE_KEY)
    if banner is None:
        alert = alert_active()
        drifting = drift_alert_active()
        banner = {
            "alert": {
                "count": alert.count,
                "threshold": alert.threshold,
                "minutes": settings.PARLURE_ALERT_WINDOW_MINUTES,
                "raised_at": alert.created_at,
            }
            if alert is not None
            else None,
            "drift": {"features": drifting.drifted_features, "texts": drifting.texts}
            if drifting is not None
            else None,
        }
        cache.set(ALERT_BANNER_CACHE_KEY, banner, ALERT_BANNER_TTL)
    drift = banner["drift"]
    if drift is not None:  # named in the page's language, not the one that filled the cache
        drift = drift | {"features": drift_labels(drift["features"])}
    return {"alert": banner["alert"], "drift": drift}
