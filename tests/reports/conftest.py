from .fixtures import other_project, project  # noqa: F401 (fixtures, registered by import)
