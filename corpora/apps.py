from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorporaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "corpora"
    verbose_name = _("Corpora")
