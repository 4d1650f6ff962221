"""The web client fixture the core pages share with the micro project pages."""

from tests.microprojects.web.conftest import client_for  # noqa: F401 (a fixture, registered by import)
