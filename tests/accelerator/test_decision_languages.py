"""The decision e-mails of a closed selection (issue #17 §2): each recipient gets it in the language
saved on their account, whatever language the worker or the coordinator's page was in."""

import pytest
from django.core import mail
from django.utils import translation

from accelerator import services
from accelerator.tasks import notify_applicants
from sempre.services import user_language_set
from tests.factories import MembershipFactory, OrganisationFactory

from .factories import RoundFactory, ready_project

pytestmark = pytest.mark.django_db


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        translated = translation.gettext(message)
    assert translated != message, f"{message!r} is not translated into {language}"
    return translated


@pytest.fixture
def application():
    organisation = OrganisationFactory(country="LV")
    applicant = MembershipFactory(organisation=organisation).user
    project = ready_project(applicant, organisation=organisation)
    colleague = MembershipFactory(organisation=organisation).user
    project.lead_social_workers.add(applicant, colleague)
    return services.application_submit(round=RoundFactory(), project=project, by=applicant)


def test_each_recipient_gets_the_decision_in_their_language(application):
    applicant = application.submitted_by
    colleague = application.project.lead_social_workers.exclude(pk=applicant.pk).get()
    user_language_set(user=applicant, language="lv")
    user_language_set(user=colleague, language="ar")

    with translation.override("en"):
        result = notify_applicants.apply(args=(application.round_id,))
    # .result, not .get(): get() refuses to block when another test's eager task is on the stack.
    assert result.successful()
    assert result.result == 1

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipient) == {(applicant.email,), (colleague.email,)}
    assert by_recipient[(applicant.email,)].body.startswith(in_language("lv", "Dear applicant,"))
    assert by_recipient[(colleague.email,)].body.startswith(in_language("ar", "Dear applicant,"))


def test_recipients_sharing_a_language_get_one_email(application):
    for person in application.project.lead_social_workers.all():
        user_language_set(user=person, language="lv")

    services.applicants_notify(round=application.round)

    assert len(mail.outbox) == 1
    assert len(mail.outbox[0].to) == 2
    assert mail.outbox[0].body.startswith(in_language("lv", "Dear applicant,"))


def test_without_a_saved_language_the_decision_is_in_english(application):
    with translation.override("de"):
        services.applicants_notify(round=application.round)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.startswith("Dear applicant,")
