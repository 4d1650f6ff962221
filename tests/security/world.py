"""One small installation with an object of every kind, owned by `organisation`, and a user for
every role the permission matrix tries (see test_permission_matrix.py)."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from accelerator import services as accelerator
from accelerator.models import Milestone, MonthlyFigure, Review, ReviewAssignment, StartUp
from microprojects.models import TargetGroup
from reports.models import ReportJob
from sempre.models import Membership
from tests.accelerator.factories import CriterionFactory, RoundFactory, make_ready, reviewer_from
from tests.cocreation.factories import ContributionFactory, invite_with_token
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MicroProjectFactory,
    OrganisationFactory,
    UserFactory,
)
from toolkit import services as toolkit

from . import topics

ROLES = ("anon", "client", "sw", "other", "admin", "rev", "revx", "coord")
ROLE_NAMES = {
    "anon": "anonymous",
    "client": "client invite holder",
    "sw": "social worker of the owning organisation",
    "other": "social worker of another organisation",
    "admin": "organisation admin of the owning organisation",
    "rev": "reviewer assigned to the application",
    "revx": "reviewer not assigned",
    "coord": "coordinator",
}


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError as error:
            raise AttributeError(name) from error


def build_world() -> World:
    organisation = OrganisationFactory(name="Matrix Own Organisation", country="SE")
    other_organisation = OrganisationFactory(name="Matrix Other Organisation", country="LV")
    sw = MembershipFactory(user=UserFactory(username="m-anna"), organisation=organisation).user
    admin = MembershipFactory(
        user=UserFactory(username="m-erik"), organisation=organisation, role=Membership.Role.ORG_ADMIN
    ).user
    other = MembershipFactory(user=UserFactory(username="m-liga"), organisation=other_organisation).user
    coord = UserFactory(username="m-coordinator", is_coordinator=True)
    rev = reviewer_from("DE", username="m-reviewer")
    revx = reviewer_from("FI", username="m-reviewer-x")
    users = {"sw": sw, "other": other, "admin": admin, "rev": rev, "revx": revx, "coord": coord}
    w = World(users=users)
    o = w.objects

    project = MicroProjectFactory(organisation=organisation, title="Matrix project")
    project.lead_social_workers.add(sw)
    o["project"] = project
    o["target_group"], _created = TargetGroup.objects.get_or_create(
        slug="matrix", defaults={"name": "Matrix"}
    )
    project.target_groups.add(o["target_group"])
    o["other_project"] = MicroProjectFactory(organisation=other_organisation, title="Other project")
    o["activity"] = ActivityFactory(project=project)
    o["indicator"] = IndicatorFactory(project=project)
    o["measurement"] = MeasurementFactory(indicator=o["indicator"])

    make_ready(project, sw)  # a complete canvas and a valid theory of change
    o["sbmc"] = project.tools.get(template__slug="sbmc")
    o["toc"] = project.tools.get(template__slug="theory-of-change")
    o["entry"] = o["sbmc"].entries.first()
    o["outcome"] = o["toc"].outcomes.order_by("pk").first()
    o["link"] = o["toc"].links.first()
    o["intervention"] = o["toc"].interventions.first()
    o["assumption"] = toolkit.assumption_add(
        instance=o["toc"], text="People come", by=sw, outcome=o["outcome"]
    )
    o["snapshot"] = toolkit.snapshot_create(instance=o["sbmc"], by=sw, note="v1")
    o["template"] = o["sbmc"].template

    invite, token = invite_with_token(tool=o["sbmc"])
    o["invite"], o["token"] = invite, token
    o["contribution"] = ContributionFactory(invite=invite)

    round = RoundFactory(title="Matrix round")
    o["criterion"] = CriterionFactory(round=round, name="Impact")
    o["round"] = round
    application = accelerator.application_submit(round=round, project=project, by=sw)
    o["application"] = application
    o["assignment"] = ReviewAssignment.objects.create(
        application=application, reviewer=rev, assigned_by=coord
    )
    o["review"] = Review.objects.create(assignment=o["assignment"], comment="Promising")
    o["startup"] = StartUp.objects.create(application=application, name="Matrix start-up")
    o["milestone"] = Milestone.objects.create(startup=o["startup"], title="Launch", due=dt.date(2026, 6, 1))
    o["figure"] = MonthlyFigure.objects.create(
        startup=o["startup"], month=dt.date(2026, 1, 1), earned_income=10, grants=0, costs=5
    )

    job = ReportJob.objects.create(
        kind="project",
        params_key="matrix",
        params={"project": project.pk},
        requested_by=sw,
        status=ReportJob.Status.SUCCEEDED,
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    job.file.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    o["report"] = job

    topics.extend_world(w)
    return w
