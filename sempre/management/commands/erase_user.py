"""`manage.py erase_user USERNAME [--yes]`: delete an account, keep what the person authored, anonymised.

Thin: asks for confirmation (unless --yes), calls `sempre.privacy.user_erase`, reports the counts.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sempre.models import User
from sempre.privacy import user_erase


class Command(BaseCommand):
    help = (
        "Erase a staff user: the account, memberships, token and own report files are deleted; "
        "projects, entries, reviews and decisions they authored stay, without their name."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, username, yes=False, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called “{username}”.")
        if not yes:
            answer = input(f"Erase {username} for good? Type the user name to confirm: ")
            if answer.strip() != username:
                raise CommandError("Not confirmed; nothing was changed.")
        try:
            counts = user_erase(user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Erased {username}.")
        for what, count in sorted(counts.items()):
            self.stdout.write(f"  {what}: {count}")
