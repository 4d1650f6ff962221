from django.core.exceptions import ValidationError

from microprojects.models import MicroProject
from sempre.validation import with_field_rules


def test_the_models_rules_come_with_the_services_and_keep_their_codes(db):
    project = MicroProject(title="", country="XX", budget_eur=-5)
    own = {"title": ValidationError("Give the project a name.", code="named")}
    errors = with_field_rules(project, own, exclude=["organisation"])
    assert [e.code for e in errors["title"]] == ["named"]  # not checked again by the model
    assert {"country", "budget_eur"} <= set(errors)  # the model's own rules, in the same answer
    assert with_field_rules(
        project, {"title": "x", "country": "y", "budget_eur": "z"}, exclude=["organisation"]
    ) == {
        "title": ["x"],
        "country": ["y"],
        "budget_eur": ["z"],
    }
