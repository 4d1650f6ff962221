from django.core.management.base import BaseCommand

from programme.loader import load_frameworks


class Command(BaseCommand):
    help = (
        "Load or update the indicator frameworks from programme/fixtures/frameworks "
        "(idempotent; also runs after migrate)."
    )

    def handle(self, *args, **options):
        for framework in load_frameworks():
            self.stdout.write(
                f"{framework.slug} {framework.version}: {framework.indicators.count()} indicators"
            )
