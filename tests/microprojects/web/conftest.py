import pytest
from django.test import Client


@pytest.fixture
def client_for():
    """client_for(user) -> a Django test client with that user logged in (None: anonymous)."""

    def login(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return login
