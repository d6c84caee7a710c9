from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.roles import ROLES
from accounts.services import user_set_role


class Command(BaseCommand):
    help = "Give a person one of the portal's roles: member, reviewer or administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("role", choices=ROLES)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(email__iexact=options["email"])
        except User.DoesNotExist:
            raise CommandError(f"No user with the e-mail address {options['email']}.") from None
        user_set_role(user=user, role=options["role"], acting_user=None)
        self.stdout.write(f"{user.email} is now {options['role']}.")
