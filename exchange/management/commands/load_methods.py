from django.core.management.base import BaseCommand

from exchange.loader import load_methods


class Command(BaseCommand):
    help = "Load or update the methods from exchange/fixtures/methods (idempotent; runs after migrate too)."

    def handle(self, *args, **options):
        for method in load_methods():
            languages = ", ".join(sorted(method.translations)) or "-"
            self.stdout.write(f"{method.slug} v{method.version}: {languages}")
