"""Property-based tests (hypothesis) for the services that do arithmetic: activity breakdowns,
the accelerator ranking, and the start-up stage (self-sufficiency)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accelerator.models import MonthlyFigure, StartUp
from accelerator.ranking import ApplicationInput, CriterionInput, ReviewInput, rank
from accelerator.selectors import stage_from_figures
from microprojects.models import Activity
from microprojects.services import activity_validate_counts

FAST = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Activity breakdowns ------------------------------------------------------------------------------


def partition(total: int, parts: int):
    """Non-negative integers, `parts` of them, adding up to `total`."""
    return st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1).map(
        lambda cuts: [b - a for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), total], strict=True)]
    )


@st.composite
def consistent_counts(draw):
    total = draw(st.integers(0, 500))
    values = {"participants_total": total, "participants_new": draw(st.integers(0, total))}
    if draw(st.booleans()):
        values.update(
            zip(Activity.GENDER_FIELDS, draw(partition(total, len(Activity.GENDER_FIELDS))), strict=True)
        )
    if draw(st.booleans()):
        values.update(zip(Activity.AGE_FIELDS, draw(partition(total, len(Activity.AGE_FIELDS))), strict=True))
    return values


@FAST
@given(consistent_counts())
def test_breakdowns_that_add_up_are_accepted(values):
    activity_validate_counts(values)


@FAST
@given(consistent_counts(), st.sampled_from(Activity.GENDER_FIELDS + Activity.AGE_FIELDS), st.integers(1, 50))
def test_a_breakdown_off_by_any_amount_is_refused_on_its_first_field(values, field, extra):
    fields = Activity.GENDER_FIELDS if field in Activity.GENDER_FIELDS else Activity.AGE_FIELDS
    if fields[0] not in values:  # make the breakdown add up first: everyone in its first field
        values.update(dict.fromkeys(fields, 0), **{fields[0]: values["participants_total"]})
    values[field] += extra
    with pytest.raises(ValidationError) as refused:
        activity_validate_counts(values)
    assert fields[0] in refused.value.message_dict


@FAST
@given(consistent_counts(), st.sampled_from(Activity.COUNT_FIELDS), st.integers(-1000, -1))
def test_negative_counts_are_refused_by_name(values, field, negative):
    values[field] = negative
    with pytest.raises(ValidationError) as refused:
        activity_validate_counts(values)
    assert set(refused.value.message_dict) & {field, "participants_new", "women", "age_under_18"}


@FAST
@given(st.integers(0, 500), st.integers(1, 100))
def test_more_new_participants_than_the_total_is_refused(total, extra):
    with pytest.raises(ValidationError) as refused:
        activity_validate_counts({"participants_total": total, "participants_new": total + extra})
    assert "participants_new" in refused.value.message_dict


# Ranking ------------------------------------------------------------------------------------------


@st.composite
def round_inputs(draw):
    n_criteria = draw(st.integers(1, 4))
    criteria = []
    for i in range(n_criteria):
        low = draw(st.integers(0, 1))
        criteria.append(
            CriterionInput(i + 1, f"C{i}", float(draw(st.integers(1, 5))), low, low + draw(st.integers(2, 9)))
        )
    n_apps = draw(st.integers(1, 7))
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    applications = [ApplicationInput(100 + i, f"A{i}", start + dt.timedelta(hours=i)) for i in range(n_apps)]
    reviewers = list(range(1, 6))
    reviews = []
    for app in applications:
        for reviewer in draw(st.lists(st.sampled_from(reviewers), max_size=3, unique=True)):
            scores = {c.id: draw(st.integers(c.scale_min, c.scale_max)) for c in criteria}
            reviews.append(ReviewInput(app.id, reviewer, scores))
    places = draw(st.integers(1, 4))
    return criteria, applications, reviews, places


def _rank(criteria, applications, reviews, places, **kwargs):
    return rank(
        criteria=criteria, applications=applications, reviews=reviews, places=places, draws=40, **kwargs
    )


@FAST
@given(round_inputs(), st.booleans())
def test_ranks_are_consecutive_and_unreviewed_applications_come_last(inputs, normalise):
    criteria, applications, reviews, places = inputs
    result = _rank(criteria, applications, reviews, places, normalise=normalise)
    scored = [row for row in result.rows if row.score is not None]
    assert [row.rank for row in scored] == list(range(1, len(scored) + 1))
    assert all(row.rank is None for row in result.rows[len(scored) :])
    assert sum(row.in_top_n for row in result.rows) == min(places, len(scored))
    assert abs(sum(result.weights.values()) - 1) < 1e-9
    for row in result.rows:
        assert 0 <= row.p_top_n <= 1
        if row.raw_mean is not None:
            assert -1e-6 <= row.raw_mean <= 100 + 1e-6
            assert row.spread is None or row.spread >= 0


@FAST
@given(round_inputs())
def test_without_normalisation_the_order_follows_the_weighted_mean(inputs):
    criteria, applications, reviews, places = inputs
    scores = [row.score for row in _rank(criteria, applications, reviews, places, normalise=False).rows]
    scores = [s for s in scores if s is not None]
    assert scores == sorted(scores, reverse=True)


@FAST
@given(round_inputs(), st.randoms(use_true_random=False), st.integers(2, 7))
def test_ranking_ignores_input_order_and_the_scale_of_the_weights(inputs, rng, factor):
    criteria, applications, reviews, places = inputs
    expected = [(r.application_id, r.rank) for r in _rank(criteria, applications, reviews, places).rows]
    shuffled = list(reviews)
    rng.shuffle(shuffled)
    assert [
        (r.application_id, r.rank) for r in _rank(criteria, applications, shuffled, places).rows
    ] == expected
    scaled = [CriterionInput(c.id, c.name, c.weight * factor, c.scale_min, c.scale_max) for c in criteria]
    assert [(r.application_id, r.rank) for r in _rank(scaled, applications, reviews, places).rows] == expected


@FAST
@given(round_inputs())
def test_a_top_score_from_every_reviewer_ranks_first_without_normalisation(inputs):
    criteria, applications, reviews, places = inputs
    reviewed = sorted({r.application_id for r in reviews})
    assume(reviewed)
    best = reviewed[0]
    perfect = {c.id: c.scale_max for c in criteria}
    boosted = [
        ReviewInput(r.application_id, r.reviewer_id, perfect) if r.application_id == best else r
        for r in reviews
    ]
    rows = _rank(criteria, applications, boosted, places, normalise=False).rows
    assert rows[0].score == rows[[r.application_id for r in rows].index(best)].score == 100


# Start-up stage (self-sufficiency) -----------------------------------------------------------------

MONTHS = [dt.date(2025 + (m // 12), m % 12 + 1, 1) for m in range(24)]


@st.composite
def monthly_figures(draw):
    months = draw(st.lists(st.sampled_from(MONTHS), unique=True, max_size=12))
    money = st.decimals(min_value=0, max_value=5000, places=2)
    return [
        MonthlyFigure(month=month, earned_income=draw(money), grants=Decimal(0), costs=draw(money))
        for month in months
    ]


def _oracle(figures) -> str:
    covered = {f.month for f in figures if f.self_sufficiency is not None and f.self_sufficiency >= 1}
    index = {m: i for i, m in enumerate(MONTHS)}
    runs = (MONTHS[index[m] + 1 : index[m] + 3] for m in covered)
    if any(len(run) == 2 and set(run) <= covered for run in runs):
        return StartUp.Stage.SELF_SUSTAINING
    return StartUp.Stage.LAUNCHED if any(f.earned_income > 0 for f in figures) else StartUp.Stage.PILOT


@FAST
@given(monthly_figures())
def test_stage_matches_three_consecutive_covered_months(figures):
    assert stage_from_figures(figures) == _oracle(figures)


@FAST
@given(monthly_figures(), st.randoms(use_true_random=False))
def test_stage_does_not_depend_on_the_order_of_the_figures(figures, rng):
    shuffled = list(figures)
    rng.shuffle(shuffled)
    assert stage_from_figures(shuffled) == stage_from_figures(figures)


@FAST
@given(monthly_figures())
def test_without_earned_income_a_start_up_stays_a_pilot(figures):
    for figure in figures:
        figure.earned_income = Decimal(0)
    assert stage_from_figures(figures) == StartUp.Stage.PILOT


def test_the_oracle_itself_sees_a_run_of_three():
    figures = [
        MonthlyFigure(month=m, earned_income=Decimal(10), grants=0, costs=Decimal(5)) for m in MONTHS[3:6]
    ]
    assert _oracle(figures) == StartUp.Stage.SELF_SUSTAINING == stage_from_figures(figures)
    figures.pop(1)
    assert _oracle(figures) == StartUp.Stage.LAUNCHED == stage_from_figures(figures)
