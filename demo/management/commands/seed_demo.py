"""`manage.py seed_demo`: load the demo story, then print the demo logins and the address to open.

Each demo module provides `seed(*, stdout) -> None`, idempotent, and touches only what the demo
created. The micro projects come first: everything else builds on them.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import (
    accelerator,
    cocreation,
    exchange,
    microprojects,
    notifications,
    programme,
    reports,
    stories_of_change,
    toolkit,
)
from demo.people import DEMO_PASSWORD, demo_logins
from microprojects.services import figures_refresh

# The reminders last: they are made from everything the others seeded.
SEEDERS = (
    microprojects,
    toolkit,
    cocreation,
    stories_of_change,
    accelerator,
    exchange,
    programme,
    reports,
    notifications,
)


def site_address() -> str:
    """Where `make run` serves: HOST and PORT as the Makefile passes them to runserver."""
    host = os.environ.get("HOST") or "127.0.0.1"
    # Listening on every interface (a container): a browser on this machine opens it as localhost.
    if host in {"0.0.0.0", "::"}:  # noqa: S104 - compares the address, binds nothing
        host = "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Load the SEMPRE demo data (idempotent: running it again changes nothing) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo data although SEMPRE_ENV=production (for a public demo site only).",
        )
        parser.add_argument(
            "--without-reports",
            action="store_true",
            help="Leave out the finished demo reports (their PDFs take most of the seeding time); "
            "the Reports page then lists none until someone asks for one.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "This is a production installation (SEMPRE_ENV=production). The demo data creates users "
                "with a published password, so it is not loaded here. For a public demo site, pass "
                "--allow-production."
            )
        for seeder in SEEDERS:
            if seeder is reports and options["without_reports"]:
                continue
            with transaction.atomic():
                seeder.seed(stdout=self.stdout)
        # The demo data is partly written in bulk, past the services that keep the precomputed
        # programme figures current: count them afresh.
        figures_refresh(force=True)
        self.print_logins()

    def print_logins(self):
        """Last, so it is what a newcomer sees above the development server's first lines."""
        logins = demo_logins()
        width = max(len(login["username"]) for login in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        self.stdout.write(
            f"  {'username':<{width}}  {'password':<{len(DEMO_PASSWORD)}}  {'role':<13}  organisation"
        )
        for login in logins:
            username, role, organisation = login["username"], login["role"], login["organisation"]
            line = f"  {username:<{width}}  {DEMO_PASSWORD}  {role:<13}  {organisation}"
            self.stdout.write(line.rstrip())
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Open {site_address()} and sign in with one of these logins."))
