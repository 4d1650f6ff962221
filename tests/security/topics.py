"""The newer features' routes, a module each (`tests/security/topic_<feature>.py`), so that the
matrix grows without every feature editing the same three files. A topic module defines

- `EXPECTED`: route name -> (GET outcomes, write outcomes), as in test_permission_matrix.EXPECTED;
- `URLS`: route name -> a function of the world that builds the route's URL, as in urls_for.URLS;
- `extend_world(world)`: adds the feature's objects to the world (owned by `world.project`'s
  organisation, like everything else in it), called at the end of world.build_world().
"""

import importlib
import pkgutil
from pathlib import Path


def modules():
    here = Path(__file__).parent
    return [
        importlib.import_module(f"tests.security.{info.name}")
        for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda info: info.name)
        if info.name.startswith("topic_")
    ]


def merged(attribute: str) -> dict:
    result = {}
    for module in modules():
        result.update(getattr(module, attribute, {}))
    return result


def extend_world(world) -> None:
    for module in modules():
        extend = getattr(module, "extend_world", None)
        if extend is not None:
            extend(world)
