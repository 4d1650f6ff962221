"""A small world for the PostgreSQL fault tests (names unique per call: xdist workers share
nothing, but a test may build more than one)."""

import uuid
from types import SimpleNamespace

from accelerator.models import ReviewAssignment
from tests.accelerator.factories import CriterionFactory, RoundFactory, make_ready, reviewer_from
from tests.factories import MembershipFactory, MicroProjectFactory, OrganisationFactory, UserFactory


def small_world(*, ready=False, assigned=False):
    tag = uuid.uuid4().hex[:8]
    organisation = OrganisationFactory(name=f"Race organisation {tag}", country="SE")
    sw = MembershipFactory(user=UserFactory(username=f"race-sw-{tag}"), organisation=organisation).user
    project = MicroProjectFactory(organisation=organisation, title=f"Race project {tag}")
    world = SimpleNamespace(organisation=organisation, sw=sw, project=project)
    if ready:
        make_ready(project, sw)
        world.sbmc = project.tools.get(template__slug="sbmc")
        world.toc = project.tools.get(template__slug="theory-of-change")
        world.round = RoundFactory(title=f"Race round {tag}")
        world.criterion = CriterionFactory(round=world.round, name="Impact", scale_min=0, scale_max=5)
    if assigned:
        from accelerator import services

        application = services.application_submit(round=world.round, project=project, by=sw)
        world.reviewer = reviewer_from("DE", username=f"race-reviewer-{tag}")
        world.assignment = ReviewAssignment.objects.create(application=application, reviewer=world.reviewer)
        world.round.__class__.objects.filter(pk=world.round.pk).update(status="reviewing")
    return world
