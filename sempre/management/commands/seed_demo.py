"""`manage.py seed_demo`: load the demo story, then print the demo logins.

An orchestrator: each app that has demo data provides `<module>.seed(*, stdout) -> None`, idempotent.
The micro projects come first (everything else builds on them); the optional modules are skipped
when they do not exist, so the command works while apps are being built.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from microprojects import demo as microprojects_demo

SEEDERS = (
    "microprojects.demo",
    "toolkit.demo",
    "toolkit.cocreation.demo",
    "accelerator.demo",
    "sempre.reports.demo",
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

    def handle(self, *args, **options):
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
