"""`manage.py adduser USERNAME --role ROLE [...]`: add a person for a real installation.

Thin: reads the password (argument, prompt, or one line of stdin), calls `sempre.services.user_add`
and reports in plain words. Errors leave nothing written and exit non-zero without a traceback.
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sempre.models import Organisation, User
from sempre.services import ROLES, user_add


def plain_words(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Add a user with a role (social_worker, org_admin, coordinator, reviewer). Creates the "
        "organisation if it does not exist (then --country is needed). Without --password, asks for "
        "it, or reads one line from stdin when stdin is not a terminal. Running it again for an "
        "existing user adds the role and changes the password only if one is given."
    )
    # Tests pass a file-like object as stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--organisation", help="Organisation name (needed for social_worker, org_admin).")
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code, needed to create an organisation.")
        parser.add_argument("--region", default="", help="Region of a new organisation.")
        parser.add_argument("--kind", choices=Organisation.Kind.values, help="Kind of a new organisation.")
        parser.add_argument("--password", help="Avoid on shared machines: it ends up in the shell history.")
        parser.add_argument("--email")
        parser.add_argument("--first-name", dest="first_name")
        parser.add_argument("--last-name", dest="last_name")

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        username = options["username"]
        password = options["password"]
        exists = User.objects.filter(username=username.strip()).exists()
        if password is None:
            password = self.read_password(stdin, required=not exists)
        try:
            result = user_add(
                username=username,
                role=options["role"],
                organisation_name=options["organisation"],
                country=options["country"],
                region=options["region"],
                kind=options["kind"],
                password=password or None,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            raise CommandError(plain_words(error)) from None

        user = result.user
        if result.organisation_created:
            self.stdout.write(
                f"Created organisation “{result.organisation}” ({result.organisation.country.code})."
            )
        self.stdout.write(f"{'Created' if result.user_created else 'Updated'} user “{user.username}”.")
        where = f" in “{result.organisation}”" if result.organisation else ""
        if result.role_added:
            self.stdout.write(f"Role {options['role']}{where}: added.")
        else:
            self.stdout.write(f"Role {options['role']}{where}: already held, nothing to do.")
        if not result.user_created:
            self.stdout.write("Password changed." if result.password_changed else "Password unchanged.")
        self.stdout.write(self.style.SUCCESS("Done."))

    def read_password(self, stdin, *, required: bool) -> str | None:
        if stdin.isatty():
            if not required:
                # An existing user keeps their password unless one is given.
                return None
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if first != second:
                raise CommandError("The two passwords do not match. Nothing was changed.")
            if not first:
                raise CommandError("The password is empty. Nothing was changed.")
            return first
        password = stdin.readline().rstrip("\r\n")
        if not password and required:
            raise CommandError(
                "No password given. Pass --password, type it when asked, or pipe it on stdin "
                "(one line). Nothing was changed."
            )
        return password or None
