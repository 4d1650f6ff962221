"""Two beat tasks at once on real PostgreSQL (a worker restarted, beat running twice): the unique
key of the sent-log keeps one notification, the row lock one e-mail. Each thread has its own
database connection, as two workers would."""

import pytest
from django.core import mail
from django.db import connection

from sempre.models import Notification
from sempre.notifications import services
from tests.factories import OrganisationFactory, UserFactory
from tests.reliability.test_races import race

from ..conftest import require_service
from .notification_helpers import assignment_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_collect_and_email_at_once_in_four_workers_make_and_send_one():
    require_service(connection.vendor == "postgresql", "PostgreSQL")
    reviewer = UserFactory(username="race-notified-reviewer", is_reviewer=True)
    assignment_for(reviewer, OrganisationFactory(name="Race notifications organisation"))

    def work(_):
        services.notifications_collect()
        return services.notifications_email_immediate()

    results = race(work)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert Notification.objects.filter(recipient=reviewer).count() == 1
    assert sum(results) == 1
    assert len(mail.outbox) == 1
