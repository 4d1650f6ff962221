"""`manage.py export_user_data USERNAME [--output FILE]`: a person's data as JSON (right of access).

Thin: looks the user up, calls `sempre.privacy.user_data_export`, writes JSON to stdout or a file.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from sempre.models import User
from sempre.privacy import user_data_export


class Command(BaseCommand):
    help = "Write everything the platform holds about a staff user as JSON (stdout, or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--output", help="File to write; default: standard output.")

    def handle(self, *args, username, output=None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called “{username}”.")
        text = json.dumps(user_data_export(user=user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Wrote the data of {username} to {output}.")
        else:
            self.stdout.write(text)
