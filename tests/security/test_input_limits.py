"""There are no file uploads; request bodies are bounded (DATA_UPLOAD_MAX_MEMORY_SIZE), and an
oversized body is a 4xx, never a 500."""

import json

import pytest

from microprojects.models import MicroProject

pytestmark = pytest.mark.django_db


def test_an_oversized_api_body_is_refused_cleanly(as_user, social_worker, settings):
    # A valid new project, made too big by whitespace only: nothing but the size limit can refuse it
    # (a long title would be refused by the field's max_length whatever the limit).
    project = {"title": "Fruit bags", "summary": "Bags from old clothes.", "setting": "urban"}
    body = json.dumps(project) + " " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    client = as_user(social_worker)
    client.raise_request_exception = False
    response = client.post("/api/v1/projects/", body, content_type="application/json")
    assert 400 <= response.status_code < 500, response.status_code
    assert not MicroProject.objects.exists()
    # the same project, within the limit, is made: the refusal was the body's size
    created = client.post("/api/v1/projects/", json.dumps(project), content_type="application/json")
    assert created.status_code == 201, created.content


def test_an_oversized_form_is_refused_cleanly(client, social_worker, settings):
    client.force_login(social_worker)
    client.raise_request_exception = False
    response = client.post("/projects/new/", {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    assert 400 <= response.status_code < 500
