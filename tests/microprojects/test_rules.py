"""The micro project permissions that need no project: the list, registering, the quick log."""

import pytest
from django.contrib.auth.models import AnonymousUser

ROLES = ("social_worker", "org_admin", "coordinator", "reviewer", "anonymous")


def user_for(request, role):
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        ("microprojects.view_project_list", {"social_worker", "org_admin", "coordinator"}),
        ("microprojects.add_microproject", {"social_worker", "org_admin"}),
        ("microprojects.quick_log_activity", {"social_worker", "org_admin"}),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_without_a_project_by_role(request, db, perm, allowed, role):
    assert user_for(request, role).has_perm(perm) == (role in allowed)
