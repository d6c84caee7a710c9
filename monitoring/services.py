"""Writes for monitoring: the rejected-predictions alert, raised and e-mailed once per window."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import ADMINISTRATOR

from .models import Alert
from .selectors import rejections_since

logger = logging.getLogger(__name__)

ALERT_BANNER_CACHE_KEY = "monitoring:alert-banner"


def alert_window(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The fixed window containing ``now``: windows are aligned on their length since the epoch."""
    length = datetime.timedelta(minutes=settings.PARLURE_ALERT_WINDOW_MINUTES)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    start = epoch + ((now - epoch) // length) * length
    return start, start + length


def alert_active(*, now: datetime.datetime | None = None) -> Alert | None:
    """The latest rejections alert raised within the last window, if any."""
    now = now or timezone.now()
    since = now - datetime.timedelta(minutes=settings.PARLURE_ALERT_WINDOW_MINUTES)
    return Alert.objects.filter(kind=Alert.Kind.REJECTIONS, created_at__gt=since).first()


def alert_recipients() -> list[str]:
    """Settings' ADMINS and every active administrator (role or superuser) with an address."""
    addresses = [address for _name, address in settings.ADMINS]
    administrators = User.objects.filter(
        Q(groups__in=Group.objects.filter(name=ADMINISTRATOR)) | Q(is_superuser=True),
        is_active=True,
    ).exclude(email="")
    addresses.extend(administrators.values_list("email", flat=True).distinct())
    return sorted(set(addresses))


def alert_check(*, now: datetime.datetime | None = None) -> Alert | None:
    """Raise the rejections alert when register feedback spikes; returns the active alert.

    More than PARLURE_ALERT_REJECTIONS register Feedback rows within the last
    PARLURE_ALERT_WINDOW_MINUTES (a sliding window, so a spike across two fixed windows counts)
    raise one Alert in the current fixed window. Idempotent: no second alert while one raised
    less than a window ago is active, and the unique (kind, window_start) constraint settles two
    checks that race; only the check that created the row sends the e-mail.
    """
    now = now or timezone.now()
    active = alert_active(now=now)
    if active is not None:
        return active
    length = datetime.timedelta(minutes=settings.PARLURE_ALERT_WINDOW_MINUTES)
    count = rejections_since(now - length)
    threshold = settings.PARLURE_ALERT_REJECTIONS
    if count <= threshold:
        return None
    window_start, window_end = alert_window(now)
    try:
        with transaction.atomic():
            alert, created = Alert.objects.get_or_create(
                kind=Alert.Kind.REJECTIONS,
                window_start=window_start,
                defaults={"window_end": window_end, "count": count, "threshold": threshold},
            )
    except IntegrityError:  # another check created it between our get and our insert
        return Alert.objects.get(kind=Alert.Kind.REJECTIONS, window_start=window_start)
    if created:
        logger.warning(
            "alert: %s rejected predictions in %s minutes (threshold %s)",
            count,
            settings.PARLURE_ALERT_WINDOW_MINUTES,
            threshold,
        )
        cache.delete(ALERT_BANNER_CACHE_KEY)
        _alert_email(alert)
    return alert


def _alert_email(alert: Alert) -> None:
    values = {
        "count": alert.count,
        "minutes": settings.PARLURE_ALERT_WINDOW_MINUTES,
        "threshold": alert.threshold,
    }
    subject = _("[Parlure] Rejected predictions spike: %(count)s in %(minutes)s minutes") % values
    body = "\n\n".join(
        [
            _(
                "%(count)s register predictions were reported wrong in the last %(minutes)s "
                "minutes (alert threshold: more than %(threshold)s)."
            )
            % values,
            _(
                "A new model version, a change in what people submit or a misuse may cause it. "
                "See the monitoring page (%(url)s) and the review queue."
            )
            % {"url": reverse("monitoring:dashboard")},
            _("This is sent once per alert window."),
        ]
    )
    alert_send(alert, subject, body)


def alert_send(alert: Alert, subject: str, body: str) -> None:
    """One e-mail to the administrators; a failure is logged, never raised (the row stays)."""
    recipients = alert_recipients()
    if not recipients:
        logger.warning("alert %s: no administrator has an e-mail address", alert.pk)
        return
    try:
        EmailMessage(subject=subject, body=body, to=recipients).send()
    except Exception:
        logger.exception("alert %s: the e-mail could not be sent", alert.pk)
        return
    Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now(), recipients=len(recipients))
