"""`manage.py seed_demo`: load the demo story, then print the demo logins.

An orchestrator: each app that has demo data provides `<module>.seed(*, stdout) -> None`, idempotent.
The micro projects come first (everything else builds on them); the optional modules are skipped
when they do not exist, so the command works while apps are being built.
"""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from microprojects import demo as microprojects_demo

SEEDERS = (
    "microprojects.demo",
    "toolkit.demo",
    "toolkit.cocreation.demo",
    "accelerator.demo",
    "reports.demo",
)


def load_seeder(module_name: str):
    """The module, or None when it (not something it imports) does not exist."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        # Only a missing seeder module is skipped; a broken import inside one is a real error.
        if error.name and (module_name == error.name or module_name.startswith(error.name + ".")):
            return None
        raise


class Command(BaseCommand):
    help = "Load the SEMPRE demo data (idempotent: running it again changes nothing) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo data although SEMPRE_ENV=production (for a public demo site only).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "This is a production installation (SEMPRE_ENV=production). The demo data creates users "
                "with a published password, so it is not loaded here. For a public demo site, pass "
                "--allow-production."
            )
        for module_name in SEEDERS:
            module = load_seeder(module_name)
            if module is None:
                continue
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        self.print_logins()

    def print_logins(self):
        logins = microprojects_demo.demo_logins()
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password for all: {microprojects_demo.DEMO_PASSWORD})")
        )
        password = microprojects_demo.DEMO_PASSWORD
        width = max(len(login["username"]) for login in logins)
        self.stdout.write(
            f"  {'username':<{width}}  {'password':<{len(password)}}  {'role':<13}  organisation"
        )
        for login in logins:
            line = f"  {login['username']:<{width}}  {password}  {login['role']:<13}  {login['organisation']}"
            self.stdout.write(line.rstrip())
