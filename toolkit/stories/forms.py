"""Forms: input shape and labels only; the services validate and decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ANSWER_MAX_LENGTH, NICKNAME_MAX_LENGTH, REASON_MAX_LENGTH

# The Most Significant Change questions, as the client reads them (and hears them read aloud).
QUESTIONS = {
    "what_changed": pgettext_lazy("story question", "What changed for you?"),
    "why_important": pgettext_lazy("story question", "Why is this change important to you?"),
    "what_helped": pgettext_lazy("story question", "What helped? (you can leave this empty)"),
}


def _answer(name: str, *, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=QUESTIONS[name],
        required=False,  # lengths too are checked by the service, so every problem is named at once
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": ANSWER_MAX_LENGTH}),
    )


class StoryForm(forms.Form):
    """The client's story. Everything is optional here; the service says what is missing, all at
    once, naming the field."""

    what_changed = _answer("what_changed")
    why_important = _answer("why_important")
    what_helped = _answer("what_helped", rows=3)
    audio = forms.FileField(required=False, label=pgettext_lazy("client page", "Your voice recording"))
    audio_seconds = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    nickname = forms.CharField(
        label=pgettext_lazy("client page", "A nickname (you can leave this empty)"),
        help_text=pgettext_lazy("client page", "Not your real name. Short: at most 30 characters."),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": NICKNAME_MAX_LENGTH}),
    )
    consent_team = forms.BooleanField(
        required=False,
        label=pgettext_lazy("client page", "The team of this project may read and keep my story."),
    )
    consent_reports = forms.BooleanField(
        required=False,
        label=pgettext_lazy(
            "client page", "My story may be quoted, without my name, in reports to the programme."
        ),
    )
    consent_cases = forms.BooleanField(
        required=False,
        label=pgettext_lazy(
            "client page",
            "My story may be published, without my name, in a practice example that other "
            "organisations read.",
        ),
    )

    FIELD_ORDER = (
        "__all__",
        "what_changed",
        "why_important",
        "what_helped",
        "audio",
        "nickname",
        "consent_team",
    )

    @property
    def first_error(self) -> str | None:
        return next((name for name in self.FIELD_ORDER if name in self.errors), None)


class OnBehalfForm(StoryForm):
    """The same story, recorded by a social worker with the client present."""

    language = forms.ChoiceField(label=_("The client's language"), choices=settings.LANGUAGES)
    client_consents = forms.BooleanField(
        required=False,
        label=_("I read the client the notice and they agreed that the team keeps their story."),
    )
    consent_team = None

    field_order = [
        "language",
        "what_changed",
        "why_important",
        "what_helped",
        "audio",
        "audio_seconds",
        "nickname",
        "client_consents",
        "consent_reports",
        "consent_cases",
    ]


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("client page", "Your receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": pgettext_lazy("client page", "Please type your receipt code.")},
    )


class StoryInviteForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language the client page opens in"),
        choices=[("", _("The client's phone's language")), *settings.LANGUAGES],
        required=False,
    )
    expires_at = forms.DateTimeField(
        label=_("Open until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: two weeks from now."),
    )


class TranscriptionForm(forms.Form):
    what_changed = forms.CharField(
        label=_("What changed for the client"),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    why_important = forms.CharField(
        label=_("Why it is important to them"),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    what_helped = forms.CharField(
        label=_("What helped"),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkForm(forms.Form):
    outcome = forms.ModelChoiceField(
        label=_("Outcome of the Theory of Change"), queryset=None, required=False
    )
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=None, required=False)

    def __init__(self, *args, outcomes, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes
        self.fields["indicator"].queryset = indicators


class SelectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this story is the most significant change"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
