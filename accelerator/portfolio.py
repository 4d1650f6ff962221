"""The suggested portfolio: the best N applications that satisfy the round's quotas, exactly.

Quota rules (a round's `quotas`):
  {"attribute": "country", "max": 2}                      at most 2 from any one country
  {"attribute": "setting", "value": "urban", "max": 3}    at most 3 urban projects
  {"attribute": "setting", "value": "rural", "min": 4}    at least 4 rural projects
Attributes: country, organisation, setting.

With minimums a greedy pick can be wrong (taking the next best may leave no room for a required
one), so this is a depth-first branch and bound over candidates in rank order: include before
exclude, prune when the best possible completion (the next best remaining scores) cannot beat the
best found, or when a minimum can no longer be met. The first optimum found is the one closest
to the rank order, so ties resolve as the ranking does. Objective: fill as many places as the
quotas allow, then the highest total score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_countries import countries

ATTRIBUTES = ("country", "organisation", "setting")
ATTRIBUTE_LABELS = {
    "country": _lazy("Country"),
    "organisation": _lazy("Organisation"),
    "setting": _lazy("Rural or urban"),
}
NODE_LIMIT = 2_000_000


@dataclass(frozen=True)
class Candidate:
    application_id: int
    score: float
    attributes: dict  # attribute -> value


@dataclass
class Portfolio:
    selected: list[int]
    total: float
    unconstrained: list[int]
    unconstrained_total: float
    given_up: float
    feasible: bool
    violations: list[str] = field(default_factory=list)  # of the unconstrained top N


def validate_quotas(quotas) -> list[str]:
    """Error messages for malformed quota rules (empty when fine)."""
    errors = []
    if not isinstance(quotas, list):
        return [_("Quotas must be a list of rules.")]
    for index, rule in enumerate(quotas, start=1):
        if not isinstance(rule, dict) or rule.get("attribute") not in ATTRIBUTES:
            errors.append(
                _("Rule %(index)s: the attribute must be one of %(names)s.")
                % {"index": index, "names": ", ".join(ATTRIBUTES)}
            )
            continue
        bounds = [k for k in ("max", "min") if k in rule]
        if len(bounds) != 1 or not isinstance(rule[bounds[0]], int) or rule[bounds[0]] < 0:
            errors.append(
                _("Rule %(index)s: give exactly one of max or min, a whole number >= 0.") % {"index": index}
            )
        elif bounds[0] == "min" and "value" not in rule:
            errors.append(_("Rule %(index)s: a minimum needs a value (e.g. rural).") % {"index": index})
        if "value" in rule and not _known_value(rule["attribute"], rule["value"]):
            errors.append(
                _("Rule %(index)s: “%(value)s” is not a value of “%(attribute)s”.")
                % {"index": index, "value": rule["value"], "attribute": ATTRIBUTE_LABELS[rule["attribute"]]}
            )
    return errors


def _known_value(attribute: str, value) -> bool:
    """A rule's value is something the attribute can be: a setting, a country code, an
    organisation's id (application_attributes gives them as these strings)."""
    if attribute == "setting":
        return value in ("rural", "urban")
    if attribute == "country":
        return isinstance(value, str) and bool(value) and value in countries
    return str(value).isdigit()


def _applies(rule, candidate: Candidate) -> str | None:
    """The group the candidate counts in for this rule, or None."""
    value = str(candidate.attributes.get(rule["attribute"], ""))
    if "value" in rule and value != str(rule["value"]):
        return None
    return value


def violations(quotas, chosen: list[Candidate]) -> list[str]:
    messages = []
    for rule in quotas:
        counts: dict[str, int] = {}
        for c in chosen:
            group = _applies(rule, c)
            if group is not None:
                counts[group] = counts.get(group, 0) + 1
        if "max" in rule:
            messages += [
                f"{rule['attribute']} {group}: {n} > {rule['max']}"
                for group, n in sorted(counts.items())
                if n > rule["max"]
            ]
        elif counts.get(str(rule["value"]), 0) < rule["min"]:
            messages.append(
                f"{rule['attribute']} {rule['value']}: {counts.get(str(rule['value']), 0)} < {rule['min']}"
            )
    return messages


def best_portfolio(candidates: list[Candidate], places: int, quotas: list[dict]) -> Portfolio:
    """`candidates` in rank order (best first)."""
    n = len(candidates)
    scores = [round(c.score, 6) for c in candidates]
    prefix = [0.0]
    for s in scores:
        prefix.append(prefix[-1] + s)
    groups = [[_applies(rule, c) for rule in quotas] for c in candidates]
    # remaining[i][r]: candidates from i on that count towards minimum rule r
    mins = [r for r, rule in enumerate(quotas) if "min" in rule]
    remaining = [[0] * len(quotas) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for r in mins:
            remaining[i][r] = remaining[i + 1][r] + (groups[i][r] is not None)
    counts: list[dict[str, int]] = [{} for _ in quotas]
    best: tuple[int, float] = (-1, -1.0)
    best_set: list[int] = []
    chosen: list[int] = []
    nodes = 0

    def min_met(i: int, slots: int) -> bool:
        need = 0
        for r in mins:
            short = quotas[r]["min"] - counts[r].get(str(quotas[r]["value"]), 0)
            if short > 0:
                if short > remaining[i][r]:
                    return False
                need += short
        return need <= slots or len(mins) > 1  # overlapping minimums: only the per-rule check is exact

    def all_min_met() -> bool:
        return all(counts[r].get(str(quotas[r]["value"]), 0) >= quotas[r]["min"] for r in mins)

    def search(i: int, total: float):
        nonlocal best, best_set, nodes
        nodes += 1
        if nodes > NODE_LIMIT:
            raise RuntimeError("Portfolio search too large")
        slots = places - len(chosen)
        if slots == 0 or i == n:
            if all_min_met() and (len(chosen), round(total, 6)) > best:
                best, best_set = (len(chosen), round(total, 6)), list(chosen)
            return
        take = min(slots, n - i)
        if (len(chosen) + take, round(total + prefix[i + take] - prefix[i], 6)) <= best:
            return
        if not min_met(i, slots):
            return
        allowed = True
        for r, rule in enumerate(quotas):
            group = groups[i][r]
            if "max" in rule and group is not None and counts[r].get(group, 0) >= rule["max"]:
                allowed = False
                break
        if allowed:
            for r, group in enumerate(groups[i]):
                if group is not None:
                    counts[r][group] = counts[r].get(group, 0) + 1
            chosen.append(i)
            search(i + 1, total + scores[i])
            chosen.pop()
            for r, group in enumerate(groups[i]):
                if group is not None:
                    counts[r][group] -= 1
        search(i + 1, total)

    search(0, 0.0)
    top = list(range(min(places, n)))
    unconstrained_total = round(sum(scores[i] for i in top), 6)
    feasible = best[0] >= 0
    total = best[1] if feasible else 0.0
    return Portfolio(
        selected=[candidates[i].application_id for i in best_set],
        total=total,
        unconstrained=[candidates[i].application_id for i in top],
        unconstrained_total=unconstrained_total,
        given_up=round(unconstrained_total - total, 6) if feasible else 0.0,
        feasible=feasible,
        violations=violations(quotas, [candidates[i] for i in top]),
    )
