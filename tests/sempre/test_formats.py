from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from sempre import formats


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "€1,044.93"), ("de", "1.044,93\xa0€"), ("lv", "1\xa0044,93\xa0€"), ("sv", "1\xa0044,93\xa0€")],
)
def test_money_in_the_readers_language(language, expected):
    assert formats.money(Decimal("1044.93"), language=language) == expected


def test_money_and_numbers_follow_the_active_language():
    template = Template("{% load formats %}{{ amount|money }} | {{ fte|number }} | {{ none|money }}")
    context = Context({"amount": Decimal("1000.00"), "fte": Decimal("1.50"), "none": None})
    with translation.override("en"):
        assert template.render(context) == "€1,000.00 | 1.5 | "
    with translation.override("de"):
        assert template.render(context) == "1.000,00\xa0€ | 1,5 | "


def test_whole_numbers_show_no_decimals_and_unknown_languages_fall_back():
    assert formats.number(Decimal("2.00"), language="en") == "2"
    assert formats.money(5, language="xx") == "€5.00"


@pytest.mark.parametrize(
    ("value", "count"), [(Decimal("1.00"), 1), (Decimal("3"), 3), (Decimal("1.5"), 2), (None, 0)]
)
def test_plural_count_gives_ngettext_an_integer(value, count):
    assert formats.plural_count(value) == count


def test_one_volunteer_hour_is_singular():
    template = Template(
        "{% load i18n formats %}{% blocktranslate with hours=h|number count counter=h|plural_count %}"
        "{{ hours }} volunteer hour{% plural %}{{ hours }} volunteer hours{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert template.render(Context({"h": Decimal("1.00")})) == "1 volunteer hour"
        assert template.render(Context({"h": Decimal("1.50")})) == "1.5 volunteer hours"
