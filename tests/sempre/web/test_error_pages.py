"""Errors answer with the site's own pages: its header and menu, words a person understands, a way back."""

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.factories import MicroProjectFactory


def test_a_missing_page_keeps_the_site_header_and_says_what_happened(client, social_worker):
    client.force_login(social_worker)
    response = client.get("/projects/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page does not exist" in page
    assert 'class="site-header"' in page
    assert reverse("microprojects:list") in page  # the menu, as on every page


def test_a_refused_page_keeps_the_site_header(client, coordinator, organisation):
    project = MicroProjectFactory(organisation=organisation)
    client.force_login(coordinator)
    response = client.get(reverse("microprojects:edit", args=[project.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You may not do this" in page
    assert 'class="site-header"' in page


def test_an_expired_form_says_so_in_plain_words(social_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    response = client.post(reverse("microprojects:create"), {"title": "x"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_the_server_error_page_renders_without_a_request():
    page = render_to_string("500.html")
    assert "Something went wrong on our side" in page
    assert 'class="site-header"' in page
