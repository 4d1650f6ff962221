"""The suggested portfolio is the exact optimum under quotas: checked against brute force."""

import itertools
import random

import pytest

from accelerator.portfolio import Candidate, best_portfolio, validate_quotas, violations


def brute_force(candidates, places, quotas):
    best = None
    for size in range(min(places, len(candidates)), -1, -1):
        for combo in itertools.combinations(candidates, size):
            if violations(quotas, list(combo)):
                continue
            value = (size, round(sum(c.score for c in combo), 6))
            if best is None or value > best:
                best = value
        if best is not None:
            return best
    return None


def make(scores_and_attrs):
    ordered = sorted(scores_and_attrs, key=lambda t: -t[1])
    return [Candidate(i, s, {"country": c, "setting": st, "organisation": "1"}) for i, s, c, st in ordered]


def test_country_quota_picks_the_next_best_of_another_country():
    cands = make(
        [(1, 90, "SE", "rural"), (2, 85, "SE", "rural"), (3, 80, "SE", "urban"), (4, 70, "LV", "rural")]
    )
    result = best_portfolio(cands, 3, [{"attribute": "country", "max": 2}])
    assert result.selected == [1, 2, 4]
    assert result.unconstrained == [1, 2, 3]
    assert result.given_up == 10.0
    assert result.violations == ["country SE: 3 > 2"]


def test_minimum_quota_beats_greedy():
    # Greedy takes 1 and 2 (urban), then cannot meet "at least 2 rural" with one place left.
    cands = make(
        [(1, 90, "SE", "urban"), (2, 89, "LV", "urban"), (3, 50, "DK", "rural"), (4, 49, "FI", "rural")]
    )
    quotas = [{"attribute": "setting", "value": "rural", "min": 2}]
    result = best_portfolio(cands, 3, quotas)
    assert sorted(result.selected) == [1, 3, 4]
    assert result.total == 189.0
    assert result.given_up == 40.0


def test_infeasible_minimum_is_reported():
    cands = make([(1, 90, "SE", "urban")])
    result = best_portfolio(cands, 1, [{"attribute": "setting", "value": "rural", "min": 1}])
    assert result.feasible is False
    assert result.selected == []


@pytest.mark.parametrize("seed", range(60))
def test_equals_brute_force_on_small_cases(seed):
    rng = random.Random(seed)
    n = rng.randint(4, 10)
    cands = make(
        [
            (i, rng.choice([rng.randint(0, 100), 50]), rng.choice("ABC"), rng.choice(["rural", "urban"]))
            for i in range(n)
        ]
    )
    quotas = [{"attribute": "country", "max": rng.randint(1, 3)}]
    if rng.random() < 0.6:
        quotas.append(
            {"attribute": "setting", "value": rng.choice(["rural", "urban"]), "min": rng.randint(0, 3)}
        )
    if rng.random() < 0.3:
        quotas.append({"attribute": "setting", "value": "urban", "max": rng.randint(0, 2)})
    places = rng.randint(1, 5)
    expected = brute_force(cands, places, quotas)
    result = best_portfolio(cands, places, quotas)
    if expected is None:
        assert not result.feasible
    else:
        chosen = [c for c in cands if c.application_id in result.selected]
        assert violations(quotas, chosen) == []
        assert (len(result.selected), result.total) == expected


def test_quota_validation_names_the_problem():
    assert validate_quotas([{"attribute": "country", "max": 2}]) == []
    assert validate_quotas([{"attribute": "colour", "max": 2}])
    assert validate_quotas([{"attribute": "setting", "min": 2}])
    assert validate_quotas([{"attribute": "country", "max": 2, "min": 1}])
    assert validate_quotas([{"attribute": "country", "value": "SE", "max": 2}]) == []
    assert validate_quotas([{"attribute": "country", "value": "Sweden", "max": 2}])
    assert validate_quotas([{"attribute": "setting", "value": "suburban", "min": 1}])
