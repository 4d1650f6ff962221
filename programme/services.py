"""Writes of the crosswalk: mapping a project indicator to a framework indicator, and undoing it."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from microprojects.models import Indicator
from sempre.rules import require
from sempre.validation import with_field_rules

from .models import FrameworkIndicator, IndicatorMapping


@transaction.atomic
def mapping_set(
    *,
    indicator: Indicator,
    framework_indicator: FrameworkIndicator | None,
    relation: str,
    factor: Decimal | str | None = None,
    by,
) -> IndicatorMapping:
    """Map `indicator` to `framework_indicator`; mapping it again changes the relation and the factor
    (the same values again change nothing). Every problem is named at once."""
    require(by, "programme.map_indicator", indicator)
    errors = {}
    if framework_indicator is None:
        errors["framework_indicator"] = _("Choose the framework indicator.")
    elif not framework_indicator.is_current:
        errors["framework_indicator"] = _("This indicator is no longer part of its framework.")
    try:
        factor = Decimal(1) if factor in (None, "") else Decimal(str(factor))
        if not factor.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["factor"] = _("Enter a number, for example 1 or 0.5.")
        factor = Decimal(1)
    existing = (
        IndicatorMapping.objects.select_for_update()
        .filter(indicator=indicator, framework_indicator=framework_indicator)
        .first()
        if framework_indicator is not None
        else None
    )
    mapping = existing or IndicatorMapping(
        indicator=indicator, framework_indicator=framework_indicator, created_by=by
    )
    mapping.relation = relation
    mapping.factor = factor
    errors = with_field_rules(mapping, errors, exclude=["created_by"], validate_unique=False)
    if errors:
        raise ValidationError(errors)
    mapping.save()
    return mapping


@transaction.atomic
def mapping_remove(*, mapping: IndicatorMapping, by) -> None:
    """Remove one line of the crosswalk; removing it again is a no-op."""
    require(by, "programme.map_indicator", mapping.indicator)
    IndicatorMapping.objects.filter(pk=mapping.pk).delete()
