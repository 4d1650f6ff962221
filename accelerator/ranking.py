"""The ranking of a round: weighted totals, reviewer normalisation, disagreement, tie-breaks,
stability under weight perturbation and reviewer bootstrap, and an explanation per application.

`rank()` is pure (plain inputs in, dataclasses out) and deterministic for a given seed;
`round_rank()` loads a round's submitted reviews (a fixed number of queries) and calls it.

Totals are on a 0-100 scale: each criterion score is rescaled to 0-1 within its own scale, then
weighted by the normalised weights. Monte Carlo draws are vectorised with numpy and processed in
fixed-size blocks, so memory stays bounded and results depend only on the seed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TIE_BREAK_NAMES = {
    "median": gettext_lazy("higher median total"),
    "top_criterion": gettext_lazy("higher mean on the most heavily weighted criterion"),
    "lower_spread": gettext_lazy("less disagreement between reviewers"),
    "earlier_submission": gettext_lazy("earlier submission"),
    "application id": gettext_lazy("order of submission records"),
}

DEFAULT_SEED = 20240601
SHRINKAGE_STRENGTH = 2.0  # reviews' worth of prior belief that a reviewer is neither lenient nor strict
DISAGREEMENT_RANGE = 25.0  # points on the 0-100 scale between the highest and lowest total
WEIGHT_PERTURBATION = 0.2  # each weight drawn uniformly within +-20 %
SAFE_AT = 0.8
OUT_AT = 0.2
BLOCK = 250  # draws per vectorised block
PLACES = 4  # decimals at which two scores count as equal
# The round's one order (ranking page, suggested portfolio, decision page, decision record, reports):
# the mean adjusted for reviewer leniency. The raw mean is shown beside it, and the ranking page can
# be switched to it for comparison, saying so.
ROUND_ORDER_NORMALISED = True


@dataclass(frozen=True)
class CriterionInput:
    id: int
    name: str
    weight: float
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class ApplicationInput:
    id: int
    title: str
    submitted_at: datetime | str | None = None


@dataclass(frozen=True)
class ReviewInput:
    application_id: int
    reviewer_id: int
    scores: dict  # criterion id -> score


@dataclass
class Explanation:
    contributions: dict[str, float]  # criterion name -> points of the raw mean total
    adjustment: float  # adjusted mean - raw mean
    margin: float | None  # distance to the cut-off (positive: above it)
    text: str


@dataclass
class RankingRow:
    application_id: int
    title: str
    rank: int | None
    score: float | None
    raw_mean: float | None
    raw_median: float | None
    adjusted_mean: float | None
    adjusted_median: float | None
    spread: float | None  # sample standard deviation of the raw totals
    total_range: float | None
    review_count: int
    disagreement: bool
    criterion_means: dict[int, float]
    criterion_medians: dict[int, float]
    in_top_n: bool
    p_top_n: float | None = None
    label: str = ""
    tie_broken_by: str = ""
    explanation: Explanation | None = None
    raw_totals: list[float] = field(default_factory=list)
    # Reviews this application should get (the round's reviewers per application, or more when
    # more are assigned); review_count below it means reviews are missing.
    reviews_expected: int = 0


@dataclass
class Ranking:
    rows: list[RankingRow]
    places: int
    normalise: bool
    method: str
    draws: int
    seed: int
    weights: dict[int, float]  # normalised, summing to 1
    cut_off: float | None
    # Reviews still missing across the round (expected minus submitted): while any are missing the
    # ranking is provisional, and no row is labelled "safe", "borderline" or "out" (label
    # "provisional"): P(top N) from one review per application says nothing about stability.
    missing_reviews: int = 0

    @property
    def provisional(self) -> bool:
        return self.missing_reviews > 0


def normalised_weights(criteria: list[CriterionInput]) -> dict[int, float]:
    total = sum(c.weight for c in criteria)
    return {c.id: (c.weight / total if total else 0.0) for c in criteria}


def _review_matrix(criteria, applications, reviews):
    """Rows sorted by application: scores rescaled to 0-1 (R x C), application index and reviewer
    index per row."""
    app_index = {a.id: i for i, a in enumerate(applications)}
    kept = sorted(
        (r for r in reviews if r.application_id in app_index),
        key=lambda r: (app_index[r.application_id], r.reviewer_id),
    )
    lows = np.array([c.scale_min for c in criteria], dtype=float)
    spans = np.array([c.scale_max - c.scale_min for c in criteria], dtype=float)
    scores = np.array([[r.scores[c.id] for c in criteria] for r in kept], dtype=float).reshape(
        len(kept), len(criteria)
    )
    unit = (scores - lows) / spans
    apps = np.array([app_index[r.application_id] for r in kept], dtype=int)
    reviewer_ids = sorted({r.reviewer_id for r in kept})
    reviewer_index = {rid: i for i, rid in enumerate(reviewer_ids)}
    revs = np.array([reviewer_index[r.reviewer_id] for r in kept], dtype=int)
    return unit, apps, revs, len(reviewer_ids)


def _adjust(totals: np.ndarray, revs: np.ndarray, n_reviewers: int, method: str) -> np.ndarray:
    """Remove each reviewer's leniency from review totals; `totals` is R or R x D."""
    squeeze = totals.ndim == 1
    t = totals[:, None] if squeeze else totals
    if t.shape[0] == 0:
        return totals
    counts = np.bincount(revs, minlength=n_reviewers).astype(float)
    order = np.argsort(revs, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(int)
    sums = np.add.reduceat(t[order], starts, axis=0)
    means = sums / counts[:, None]
    grand = t.mean(axis=0)
    if method == "zscore":
        squares = np.add.reduceat(t[order] ** 2, starts, axis=0)
        sds = np.sqrt(np.maximum(squares / counts[:, None] - means**2, 0.0))
        grand_sd = t.std(axis=0)
        row_sd = sds[revs]
        shifted = t - means[revs] + grand
        scaled = grand + (t - means[revs]) / np.where(row_sd > 1e-9, row_sd, 1.0) * grand_sd
        # A reviewer with one review, or who gave everyone the same, is only shifted, not scaled.
        usable = (counts[revs] >= 2)[:, None] & (row_sd > 1e-9)
        adjusted = np.where(usable, scaled, shifted)
    else:
        shrink = counts / (counts + SHRINKAGE_STRENGTH)
        leniency = shrink[:, None] * (means - grand)
        adjusted = t - leniency[revs]
    adjusted = np.clip(adjusted, 0.0, 100.0)
    return adjusted[:, 0] if squeeze else adjusted


def _group_stats(values: np.ndarray, apps: np.ndarray, counts: np.ndarray):
    """Mean and median of `values` per application (rows are grouped by application; NaN for
    applications without rows)."""
    n = len(counts)
    means = np.full(n, np.nan)
    medians = np.full(n, np.nan)
    present = counts > 0
    if not present.any():
        return means, medians
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    means[present] = np.add.reduceat(values, starts[present]) / counts[present]
    ordered = values[np.lexsort((values, apps))]
    low = ordered[starts[present] + (counts[present] - 1) // 2]
    high = ordered[starts[present] + counts[present] // 2]
    medians[present] = (low + high) / 2
    return means, medians


def _group_spread(values: np.ndarray, apps: np.ndarray, counts: np.ndarray):
    """Sample standard deviation (0 for one review) and range of `values` per application."""
    n = len(counts)
    spread = np.zeros(n)
    spans = np.zeros(n)
    present = counts > 0
    if not present.any():
        return spread, spans
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[present]
    c = counts[present].astype(float)
    sums = np.add.reduceat(values, starts)
    squares = np.add.reduceat(values**2, starts)
    variance = np.maximum(squares - sums**2 / c, 0.0) / np.maximum(c - 1, 1)
    spread[present] = np.where(c >= 2, np.sqrt(variance), 0.0)
    spans[present] = np.maximum.reduceat(values, starts) - np.minimum.reduceat(values, starts)
    return spread, spans


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _sort_key_factory(tie_break, normalise, top_criterion_id, submitted):
    def key(row: RankingRow):
        if row.score is None:
            return (1, 0, (), row.application_id)
        parts = []
        for name in tie_break:
            if name == "median":
                median = row.adjusted_median if normalise else row.raw_median
                parts.append(-round(median, PLACES))
            elif name == "top_criterion":
                parts.append(-round(row.criterion_means.get(top_criterion_id, 0.0), PLACES))
            elif name == "lower_spread":
                parts.append(round(row.spread or 0.0, PLACES))
            elif name == "earlier_submission":
                value = submitted.get(row.application_id)
                parts.append(value.timestamp() if isinstance(value, datetime) else (value or ""))
        return (0, -round(row.score, PLACES), tuple(parts), row.application_id)

    return key


def rank(
    *,
    criteria: list[CriterionInput],
    applications: list[ApplicationInput],
    reviews: list[ReviewInput],
    places: int,
    tie_break: list[str] = ("median", "top_criterion", "lower_spread", "earlier_submission"),
    normalise: bool = True,
    method: str = "shrinkage",
    draws: int = 2000,
    seed: int = DEFAULT_SEED,
    expected_reviews: dict[int, int] | None = None,
) -> Ranking:
    """`expected_reviews`: application id -> reviews it should get; any shortfall makes the
    ranking provisional (see Ranking.missing_reviews)."""
    expected_reviews = expected_reviews or {}
    weights = normalised_weights(criteria)
    w = np.array([weights[c.id] for c in criteria], dtype=float)
    unit, apps, revs, n_reviewers = _review_matrix(criteria, applications, reviews)
    raw = unit @ w * 100.0 if len(unit) else np.zeros(0)
    adjusted = _adjust(raw, revs, n_reviewers, method) if len(raw) else raw
    used = adjusted if normalise else raw

    n_apps = len(applications)
    counts = np.bincount(apps, minlength=n_apps)
    lows = np.array([c.scale_min for c in criteria], dtype=float)
    spans = np.array([c.scale_max - c.scale_min for c in criteria], dtype=float)
    scores = unit * spans + lows
    stats = {
        "raw": _group_stats(raw, apps, counts),
        "adjusted": _group_stats(adjusted, apps, counts),
        "used": _group_stats(used, apps, counts),
    }
    criterion_stats = [_group_stats(scores[:, j], apps, counts) for j in range(len(criteria))]
    spread, total_range = _group_spread(raw, apps, counts)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))

    rows: list[RankingRow] = []
    for i, app in enumerate(applications):
        count = int(counts[i])
        if count == 0:
            rows.append(
                RankingRow(
                    app.id, app.title, None, None, None, None, None, None, None, None, 0, False, {}, {}, False
                )
            )
            continue
        rows.append(
            RankingRow(
                application_id=app.id,
                title=app.title,
                rank=None,
                score=_round(stats["used"][0][i]),
                raw_mean=_round(stats["raw"][0][i]),
                raw_median=_round(stats["raw"][1][i]),
                adjusted_mean=_round(stats["adjusted"][0][i]),
                adjusted_median=_round(stats["adjusted"][1][i]),
                spread=_round(spread[i]),
                total_range=_round(total_range[i]),
                review_count=count,
                disagreement=bool(count >= 2 and total_range[i] >= DISAGREEMENT_RANGE),
                criterion_means={c.id: _round(criterion_stats[j][0][i]) for j, c in enumerate(criteria)},
                criterion_medians={c.id: _round(criterion_stats[j][1][i]) for j, c in enumerate(criteria)},
                in_top_n=False,
                raw_totals=[_round(x) for x in raw[starts[i] : starts[i] + count]],
            )
        )
    top_criterion_id = max(criteria, key=lambda c: (c.weight, -criteria.index(c))).id if criteria else None
    submitted = {a.id: a.submitted_at for a in applications}
    key = _sort_key_factory(list(tie_break), normalise, top_criterion_id, submitted)
    rows.sort(key=key)
    for position, row in enumerate(rows, start=1):
        if row.score is not None:
            row.rank = position
            row.in_top_n = position <= places
    _note_tie_breaks(rows, key, list(tie_break))

    scored = [r for r in rows if r.score is not None]
    cut_off = scored[places - 1].score if len(scored) >= places else None
    next_in = scored[places].score if len(scored) > places else None
    probabilities = stability(
        unit=unit,
        apps=apps,
        revs=revs,
        n_reviewers=n_reviewers,
        n_apps=len(applications),
        w=w,
        places=places,
        normalise=normalise,
        method=method,
        draws=draws,
        seed=seed,
    )
    app_position = {a.id: i for i, a in enumerate(applications)}
    texts = _explanation_texts()
    missing = 0
    for row in rows:
        row.reviews_expected = max(expected_reviews.get(row.application_id, 0), row.review_count)
        missing += row.reviews_expected - row.review_count
    for row in rows:
        if row.score is None:
            row.p_top_n = 0.0
            row.label = "unreviewed"
            row.explanation = Explanation({}, 0.0, None, "No submitted review yet.")
            continue
        row.p_top_n = round(float(probabilities[app_position[row.application_id]]), 4)
        if missing:
            row.label = "provisional"
        else:
            row.label = "safe" if row.p_top_n >= SAFE_AT else "out" if row.p_top_n <= OUT_AT else "borderline"
        row.explanation = _explain(row, criteria, weights, cut_off, next_in, normalise, texts)
    return Ranking(rows, places, normalise, method, draws, seed, weights, cut_off, missing)


def _note_tie_breaks(rows, key, tie_break):
    names = ["score", *tie_break, "application id"]
    for previous, row in itertools.pairwise(rows):
        if row.score is None or previous.score is None:
            continue
        a, b = key(previous), key(row)
        if a[1] != b[1]:
            continue
        for index, (x, y) in enumerate(zip(a[2], b[2], strict=True)):
            if x != y:
                row.tie_broken_by = names[index + 1]
                break
        else:
            row.tie_broken_by = names[-1]
        previous.tie_broken_by = previous.tie_broken_by or row.tie_broken_by


def _explanation_texts() -> dict:
    """The explanation's sentences, translated once per ranking (not once per row)."""
    return {
        "raw": _("Raw mean %(mean).1f = %(parts)s."),
        "adjusted": _("Reviewer normalisation %(adjustment)+.1f gives %(adjusted).1f."),
        "above": _("%(margin).1f points above the first application below the cut-off."),
        "level": _("Level with the cut-off; out on the tie-break."),
        "below": _("%(margin).1f points below the cut-off."),
        "tie": _("Tie broken by: %(key)s."),
        "disagree": _("Reviewers disagree: consider one more review."),
        "keys": {key: str(name) for key, name in TIE_BREAK_NAMES.items()},
    }


def _explain(row, criteria, weights, cut_off, next_in, normalise, texts) -> Explanation:
    contributions = {}
    for c in criteria:
        mean = row.criterion_means[c.id]
        contributions[c.name] = round(
            weights[c.id] * (mean - c.scale_min) / (c.scale_max - c.scale_min) * 100, 2
        )
    adjustment = round(row.adjusted_mean - row.raw_mean, 2)
    if cut_off is None:
        margin = None
    elif row.in_top_n:
        margin = round(row.score - (next_in if next_in is not None else 0.0), 2)
    else:
        margin = round(row.score - cut_off, 2)
    parts = ", ".join(f"{name} {points:.1f}" for name, points in contributions.items())
    sentences = [texts["raw"] % {"mean": row.raw_mean, "parts": parts}]
    if normalise:
        sentences.append(texts["adjusted"] % {"adjustment": adjustment, "adjusted": row.adjusted_mean})
    if margin is not None:
        if row.in_top_n:
            sentences.append(texts["above"] % {"margin": margin})
        elif margin == 0:
            sentences.append(texts["level"])
        else:
            sentences.append(texts["below"] % {"margin": -margin})
    if row.tie_broken_by:
        sentences.append(texts["tie"] % {"key": texts["keys"].get(row.tie_broken_by, row.tie_broken_by)})
    if row.disagreement:
        sentences.append(texts["disagree"])
    return Explanation(contributions, adjustment, margin, " ".join(sentences))


class _LinearNormaliser:
    """Reviewer normalisation for many weight vectors at once.

    Totals are linear in the weights (t = 100 * u . w), so each reviewer's mean (and second
    moment) of totals under a weight vector follows from the mean vector (and second-moment
    matrix) of their rescaled scores: per draw it costs reviewers x criteria, not reviews.
    """

    def __init__(self, unit, revs, n_reviewers, method):
        self.revs, self.method = revs, method
        self.counts = np.bincount(revs, minlength=n_reviewers).astype(float)
        sums = np.zeros((n_reviewers, unit.shape[1]))
        np.add.at(sums, revs, unit)
        self.mean_unit = sums / self.counts[:, None]
        self.grand_unit = unit.mean(axis=0)
        if method == "zscore":
            outer = unit[:, :, None] * unit[:, None, :]
            second = np.zeros((n_reviewers, unit.shape[1], unit.shape[1]))
            np.add.at(second, revs, outer)
            self.second_unit = second / self.counts[:, None, None]
            self.grand_second = outer.mean(axis=0)

    def __call__(self, totals, weights):
        means = self.mean_unit @ weights * 100.0  # reviewers x draws
        grand = self.grand_unit @ weights * 100.0  # draws
        if self.method == "zscore":
            second = np.einsum("rij,id,jd->rd", self.second_unit, weights, weights) * 1e4
            sds = np.sqrt(np.maximum(second - means**2, 0.0))
            grand_second = np.einsum("ij,id,jd->d", self.grand_second, weights, weights) * 1e4
            grand_sd = np.sqrt(np.maximum(grand_second - grand**2, 0.0))
            usable = (self.counts[:, None] >= 2) & (sds > 1e-9)
            scale = np.where(usable, grand_sd / np.where(sds > 1e-9, sds, 1.0), 1.0)
            adjusted = grand + (totals - means[self.revs]) * scale[self.revs]
        else:
            shrink = self.counts / (self.counts + SHRINKAGE_STRENGTH)
            leniency = shrink[:, None] * (means - grand)
            adjusted = totals - leniency[self.revs]
        return np.clip(adjusted, 0.0, 100.0, out=adjusted)


def stability(
    *, unit, apps, revs, n_reviewers, n_apps, w, places, normalise, method, draws, seed
) -> np.ndarray:
    """P(in top N) per application: each draw perturbs every weight by up to +-20 % and resamples,
    with replacement, each application's reviews (bootstrap over its reviewers)."""
    in_top = np.zeros(n_apps)
    if draws <= 0 or len(unit) == 0:
        return in_top
    counts = np.bincount(apps, minlength=n_apps)
    reviewed = counts > 0
    if reviewed.sum() <= places:
        return reviewed.astype(float)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    row_start, row_count = starts[apps], counts[apps].astype(np.float32)
    first_rows = starts[reviewed]
    divisor = counts[reviewed][:, None]
    normaliser = _LinearNormaliser(unit, revs, n_reviewers, method) if normalise else None
    rng = np.random.default_rng(seed)
    done = 0
    while done < draws:
        block = min(BLOCK, draws - done)
        factors = rng.uniform(1 - WEIGHT_PERTURBATION, 1 + WEIGHT_PERTURBATION, size=(len(w), block))
        weights = w[:, None] * factors
        weights /= weights.sum(axis=0, keepdims=True)
        totals = unit @ weights * 100.0
        if normaliser is not None:
            totals = normaliser(totals, weights)
        offsets = rng.random((len(unit), block), dtype=np.float32)
        offsets *= row_count[:, None]
        picks = offsets.astype(np.intp)
        picks += row_start[:, None]
        sample = np.take_along_axis(totals, picks, axis=0)
        means = np.full((n_apps, block), -np.inf)
        means[reviewed] = np.add.reduceat(sample, first_rows, axis=0) / divisor
        threshold = np.partition(means, n_apps - places, axis=0)[n_apps - places]
        in_top += np.count_nonzero(means >= threshold, axis=1)
        done += block
    return in_top / draws


# Loading from the database ----------------------------------------------------------------------


def round_inputs(round) -> tuple[list[CriterionInput], list[ApplicationInput], list[ReviewInput]]:
    """The ranking's inputs for a round, in three queries."""
    from .models import Application, Criterion, Score

    criteria = [
        CriterionInput(c.id, c.name, float(c.weight), c.scale_min, c.scale_max)
        for c in Criterion.objects.filter(round=round).order_by("order", "id")
    ]
    applications = [
        ApplicationInput(a.id, a.project.title, a.submitted_at)
        for a in Application.objects.competing()
        .filter(round=round)
        .select_related("project")
        .order_by("submitted_at", "id")
    ]
    by_review: dict[int, ReviewInput] = {}
    wanted = {c.id for c in criteria}
    for review_id, app_id, reviewer_id, criterion_id, value in (
        Score.objects.filter(
            review__assignment__application__round=round,
            review__submitted_at__isnull=False,
            review__assignment__status="active",
        )
        .values_list(
            "review_id",
            "review__assignment__application_id",
            "review__assignment__reviewer_id",
            "criterion_id",
            "value",
        )
        .order_by("review_id")
    ):
        by_review.setdefault(review_id, ReviewInput(app_id, reviewer_id, {})).scores[criterion_id] = value
    reviews = [r for r in by_review.values() if set(r.scores) >= wanted]
    return criteria, applications, reviews


def round_rank(
    *, round, normalise: bool | None = None, draws: int = 2000, seed: int = DEFAULT_SEED
) -> Ranking:
    """The ranking of a round as plain rows (dataclasses), for pages, the API and reports.

    `normalise=None` is the round's own order, the one every page, the decision record and the
    reports use: the mean adjusted for reviewer leniency (ROUND_ORDER_NORMALISED)."""
    if normalise is None:
        normalise = ROUND_ORDER_NORMALISED
    criteria, applications, reviews = round_inputs(round)
    return rank(
        criteria=criteria,
        applications=applications,
        reviews=reviews,
        places=round.places,
        tie_break=list(round.tie_break),
        normalise=normalise,
        method=round.normalisation,
        draws=draws,
        seed=seed,
        expected_reviews=expected_reviews(round),
    )


def expected_reviews(round) -> dict[int, int]:
    """Application id -> reviews it should get: the round's reviewers per application, or more
    when more active reviewers are assigned (one query)."""
    from django.db.models import Count, Q

    from .models import Application

    wanted = round.reviewers_per_application
    return {
        pk: max(wanted, assigned)
        for pk, assigned in Application.objects.competing()
        .filter(round=round)
        .annotate(assigned=Count("assignments", filter=Q(assignments__status="active")))
        .values_list("pk", "assigned")
    }
