"""The cap holds under concurrent submissions (real PostgreSQL: SQLite serialises writers anyway)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from toolkit.cocreation.models import Contribution
from toolkit.cocreation.services import contribution_submit

from ..conftest import require_service
from ..factories import OrganisationFactory
from .factories import InviteFactory, ToolInstanceFactory


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_capped_invite_takes_no_more_than_its_cap_under_concurrency():
    require_service(connection.vendor == "postgresql", "PostgreSQL")
    invite = InviteFactory(
        tool=ToolInstanceFactory(project__organisation=OrganisationFactory()), max_contributions=3
    )
    start = threading.Barrier(8)
    outcomes = []

    def client():
        start.wait()
        try:
            contribution_submit(
                invite=invite, block_key="channels", text="At the library", language="en", consent=True
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("closed")
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 3
    assert Contribution.objects.filter(invite=invite).count() == 3
    invite.refresh_from_db()
    assert invite.contribution_count == 3
