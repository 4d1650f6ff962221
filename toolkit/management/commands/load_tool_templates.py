from django.core.management.base import BaseCommand

from toolkit.loader import load_templates


class Command(BaseCommand):
    help = "Load or update the tool templates from toolkit/fixtures (idempotent; also runs after migrate)."

    def handle(self, *args, **options):
        for template in load_templates():
            self.stdout.write(f"{template.slug} v{template.version}: {template.blocks.count()} blocks")
