from django import forms
from django.core.exceptions import ValidationError

from microprojects.models import MicroProject
from sempre.forms import ServiceModelForm, add_service_errors


class TitleForm(ServiceModelForm):
    class Meta:
        model = MicroProject
        fields = ["title"]


def test_service_errors_go_next_to_their_field():
    form = TitleForm({"title": "Fruit bags"})
    assert form.is_valid()

    add_service_errors(form, ValidationError({"title": "Taken.", "organisation": "Not yours."}))

    assert form.errors["title"] == ["Taken."]
    # A field the form does not show goes to the top, with its name.
    assert form.non_field_errors() == ["Organisation: Not yours."]


def test_service_error_without_field_goes_to_the_top():
    form = TitleForm({"title": "Fruit bags"})
    form.is_valid()

    add_service_errors(form, ValidationError("Something is wrong."))

    assert form.non_field_errors() == ["Something is wrong."]


def test_service_model_form_does_not_touch_the_instance(db):
    project = MicroProject(title="Original")

    form = TitleForm({"title": "Changed"}, instance=project)

    assert form.is_valid()
    assert project.title == "Original"
    assert form.service_data() == {"title": "Changed"}


def test_service_model_form_has_no_label_colon():
    assert isinstance(TitleForm().fields["title"], forms.CharField)
    assert "Title:" not in str(TitleForm()["title"].label_tag())
