"""The portal's roles. Each is a Django group; its permissions are created by a data migration.

- member: everyone who signs up; submits texts and audio and sees their own work.
- reviewer: also reviews other people's labels and corrections (through the admin and the
  review queue), so reviewers are staff.
- administrator: runs the portal: every permission on the portal's own models.
"""

from django.apps.registry import Apps
from django.utils.translation import gettext_lazy as _

MEMBER = "member"
REVIEWER = "reviewer"
ADMINISTRATOR = "administrator"
ROLES = (MEMBER, REVIEWER, ADMINISTRATOR)
ROLE_LABELS = {MEMBER: _("Member"), REVIEWER: _("Reviewer"), ADMINISTRATOR: _("Administrator")}

# Roles that need the admin site.
STAFF_ROLES = frozenset({REVIEWER, ADMINISTRATOR})

# (app_label, codename) pairs; "*" is every permission of the app *when the migration runs*, so a
# migration that adds models or changes this table must call roles_sync again.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    MEMBER: [
        ("annotation", "add_submission"),
        ("annotation", "view_submission"),
        ("annotation", "delete_submission"),
        ("annotation", "view_prediction"),
        ("annotation", "view_transcript"),
        ("annotation", "change_segment"),
    ],
    REVIEWER: [
        ("annotation", "view_submission"),
        ("annotation", "view_prediction"),
        ("annotation", "change_prediction"),
        ("annotation", "view_transcript"),
        ("annotation", "view_segment"),
        ("annotation", "view_transcriptrevision"),
        ("accounts", "view_user"),
        # The review queue (review.review_items) and the review models in the admin.
        ("review", "review_items"),
        *[
            ("review", f"{action}_{model}")
            for model in ("feedback", "reviewitem", "judgement", "correctionset")
            for action in ("view", "add", "change")
        ],
        # Model versions and retraining runs: reviewers see them; administrators act on them.
        ("learning", "view_modelversion"),
        ("learning", "view_retrainingrun"),
    ],
    ADMINISTRATOR: [
        ("annotation", "*"),
        ("accounts", "*"),
        ("review", "*"),
        ("learning", "*"),
        ("monitoring", "*"),
        ("corpora", "*"),
        ("auth", "view_group"),
        ("auth", "change_group"),
    ],
}


def roles_sync(apps: Apps) -> None:
    """Create the role groups and give each exactly the permissions listed above.

    Takes an app registry so that migrations can call it with their historical models; a later
    change to ROLE_PERMISSIONS ships with a migration that calls this again.
    """
    from django.contrib.auth.management import create_permissions

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations have run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True  # type: ignore[assignment]  # a documented workaround
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role)
        permissions = []
        for app_label, codename in wanted:
            found = permission_model.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                found = found.filter(codename=codename)
            permissions.extend(found)
        group.permissions.set(permissions)
