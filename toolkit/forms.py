"""Web forms. Each write form carries the tool version it was rendered with (hidden field), so the
service can refuse a stale write instead of silently overwriting someone else's change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microprojects.models import Indicator

from .models import Assumption, CausalLink, Intervention, Outcome, ToolInstance, ToolTemplate


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ToolCreateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Tool"), queryset=ToolTemplate.objects.all(), to_field_name="slug", empty_label=None
    )
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)


class ToolUpdateForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ToolInstance.Status.choices)


class EntryForm(VersionedForm):
    block_key = forms.SlugField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    indicator = forms.ModelChoiceField(
        label=_("Measured by indicator"), queryset=Indicator.objects.none(), required=False
    )
    intervention = forms.ModelChoiceField(
        label=_("Intervention in the Theory of Change"), queryset=Intervention.objects.none(), required=False
    )

    def __init__(self, *args, instance: ToolInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(project_id=instance.project_id)
        self.fields["intervention"].queryset = Intervention.objects.filter(
            instance__project_id=instance.project_id
        ).select_related("instance")


class MoveForm(VersionedForm):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class OutcomeForm(VersionedForm):
    text = forms.CharField(label=_("Outcome"), max_length=300)
    level = forms.ChoiceField(label=_("Level"), choices=Outcome.Level.choices, initial=Outcome.Level.EARLY)
    above_ceiling = forms.BooleanField(
        label=_("Above the ceiling of accountability"),
        required=False,
        help_text=_("The project contributes but cannot be held accountable for it alone."),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"), queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, *args, instance: ToolInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.filter(project_id=instance.project_id)


class OutcomeChoiceMixin:
    def outcomes_of(self, instance: ToolInstance):
        return Outcome.objects.filter(instance=instance).order_by("order", "id")


class LinkForm(OutcomeChoiceMixin, VersionedForm):
    source = forms.ModelChoiceField(label=_("This outcome"), queryset=Outcome.objects.none())
    target = forms.ModelChoiceField(label=_("leads to"), queryset=Outcome.objects.none())
    rationale = forms.CharField(
        label=_("Because (rationale)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CausalLink.Kind.choices, initial=CausalLink.Kind.CAUSAL)

    def __init__(self, *args, instance: ToolInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = self.outcomes_of(instance)
        self.fields["target"].queryset = self.outcomes_of(instance)


class LinkEditForm(VersionedForm):
    rationale = forms.CharField(
        label=_("Because (rationale)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CausalLink.Kind.choices)

    def __init__(self, *args, instance: ToolInstance, **kwargs):
        super().__init__(*args, **kwargs)


class InterventionForm(OutcomeChoiceMixin, VersionedForm):
    text = forms.CharField(label=_("Intervention"), max_length=300)
    outputs = forms.CharField(label=_("Outputs"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    outcomes = forms.ModelMultipleChoiceField(
        label=_("Outcomes it serves"), queryset=Outcome.objects.none(), required=False
    )

    def __init__(self, *args, instance: ToolInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = self.outcomes_of(instance)


class AssumptionForm(OutcomeChoiceMixin, VersionedForm):
    text = forms.CharField(label=_("Assumption"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    outcome = forms.ModelChoiceField(
        label=_("About the outcome"), queryset=Outcome.objects.none(), required=False
    )
    link = forms.ModelChoiceField(
        label=_("or about the link"), queryset=CausalLink.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Assumption.Status.choices, initial=Assumption.Status.UNTESTED
    )

    def __init__(self, *args, instance: ToolInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = self.outcomes_of(instance)
        self.fields["link"].queryset = CausalLink.objects.filter(instance=instance).select_related(
            "source", "target"
        )


class SnapshotForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
