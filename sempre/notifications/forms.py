from django import forms

from sempre.models import Delivery


class NotificationChoicesForm(forms.Form):
    """One choice per kind of notification offered to the person (sempre.notifications.kinds_for)."""

    def __init__(self, *args, kinds, initial_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.help_text,
                choices=Delivery.choices,
                initial=initial_choices.get(kind.key, kind.default),
                widget=forms.RadioSelect,
            )
