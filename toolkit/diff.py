"""What changed between two states of a tool (snapshots, or a snapshot and now).

States are `services.instance_state` dicts; elements are matched by id, so an edited entry shows as
changed (with the fields that changed), not as removed and added.
"""

COLLECTIONS = ("entries", "outcomes", "links", "interventions", "assumptions")
IGNORED_FIELDS = {"id", "indicators"}


def state_diff(old: dict, new: dict) -> dict:
    result = {"fields": {}, "collections": {}, "has_changes": False}
    for field in ("title", "status"):
        if old.get(field) != new.get(field):
            result["fields"][field] = {"from": old.get(field), "to": new.get(field)}
    for name in COLLECTIONS:
        if name not in old and name not in new:
            continue
        before = {item["id"]: item for item in old.get(name, [])}
        after = {item["id"]: item for item in new.get(name, [])}
        changed = []
        for pk in sorted(before.keys() & after.keys()):
            fields = sorted(
                key
                for key in before[pk].keys() | after[pk].keys()
                if key not in IGNORED_FIELDS and before[pk].get(key) != after[pk].get(key)
            )
            if fields:
                changed.append({"id": pk, "before": before[pk], "after": after[pk], "fields": fields})
        result["collections"][name] = {
            "added": [after[pk] for pk in sorted(after.keys() - before.keys())],
            "removed": [before[pk] for pk in sorted(before.keys() - after.keys())],
            "changed": changed,
        }
    result["has_changes"] = bool(result["fields"]) or any(
        part["added"] or part["removed"] or part["changed"] for part in result["collections"].values()
    )
    return result
