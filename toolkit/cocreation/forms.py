"""Forms: input shape and labels only; the services validate and decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import PSEUDONYM_MAX_LENGTH, TEXT_MAX_LENGTH


class ContributionForm(forms.Form):
    """The client's answer to one question. The question itself is the text field's label."""

    text = forms.CharField(
        label=pgettext_lazy("client page", "Your answer"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX_LENGTH}),
        error_messages={
            "required": pgettext_lazy("client page", "Please write something first."),
            "max_length": pgettext_lazy("client page", "Please keep it shorter."),
        },
    )
    pseudonym = forms.CharField(
        label=pgettext_lazy("client page", "A nickname (you can leave this empty)"),
        max_length=PSEUDONYM_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": pgettext_lazy("client page", "Please use a shorter name.")},
    )
    consent = forms.BooleanField(
        label=pgettext_lazy("client page", "I have read this and I agree."),
        required=True,
        error_messages={
            "required": pgettext_lazy(
                "client page", "Please tick the box to say you agree, so we may keep your answer."
            )
        },
    )

    def __init__(self, *args, consent_given: bool = False, **kwargs):
        """`consent_given`: the client agreed earlier in this visit, so the box is not asked again."""
        super().__init__(*args, **kwargs)
        if consent_given:
            self.fields["consent"].required = False

    @property
    def first_error(self) -> str | None:
        """The field whose message comes first on the page (it takes the focus)."""
        order = ("__all__", "text", "pseudonym", "consent")
        return next((name for name in order if name in self.errors), None)


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("client page", "Your receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": pgettext_lazy("client page", "Please type your receipt code.")},
    )


class InviteForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=200,
        help_text=_("For you and the clients, e.g. “Tuesday workshop in Luleå”."),
    )
    language = forms.ChoiceField(
        label=_("Language the client pages open in"),
        choices=[("", _("The client's phone's language")), *settings.LANGUAGES],
        required=False,
        initial="",
        help_text=_(
            "Clients can change it on the page. With the phone's language, a phone in a language the "
            "platform does not speak gets the language of your organisation's country."
        ),
    )
    block_keys = forms.MultipleChoiceField(
        label=_("Questions to ask"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to ask about every block."),
    )
    expires_at = forms.DateTimeField(
        label=_("Open until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: 14 days from now."),
    )
    max_contributions = forms.IntegerField(
        label=_("Maximum number of contributions"),
        required=False,
        min_value=1,
        help_text=_("Empty: no limit."),
    )

    def __init__(self, *args, blocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block_keys"].choices = [(block.key, block.display_label) for block in blocks]


class ModerationForm(forms.Form):
    text = forms.CharField(
        label=_("Text (you may edit it before accepting)"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Note for the team (optional)"), max_length=300, required=False)


class ReconsiderForm(forms.Form):
    """Back to the queue (`pending`), or accepted after all, optionally with edited text."""

    status = forms.ChoiceField(
        choices=[("pending", "pending"), ("accepted", "accepted")],
        required=False,
        initial="pending",
        widget=forms.HiddenInput,
    )
    text = forms.CharField(
        label=_("Text (you may edit it before accepting)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class OnBehalfForm(forms.Form):
    block_key = forms.ChoiceField(label=_("Block"))
    text = forms.CharField(
        label=_("What the client says"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    pseudonym = forms.CharField(
        label=_("Client's nickname (optional, no real names)"),
        max_length=PSEUDONYM_MAX_LENGTH,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    client_consents = forms.BooleanField(
        label=_("I read the consent notice to the client, and they agreed."), required=True
    )

    def __init__(self, *args, blocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block_key"].choices = [(block.key, block.display_label) for block in blocks]
