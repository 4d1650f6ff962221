from .fixtures import decided_round, other_project, project  # noqa: F401 (fixtures, registered by import)
