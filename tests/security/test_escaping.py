"""User text is rendered escaped everywhere it shows: a project title, a canvas entry, a client's
contribution and a reviewer's comment holding markup come out as text, never as markup."""

import pytest

from toolkit.models import Entry

from .world import build_world

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_user_text_is_escaped_on_the_pages_that_show_it(client):
    world = build_world()
    type(world.project).objects.filter(pk=world.project.pk).update(title=f"Project {MARKUP}")
    Entry.objects.filter(pk=world.entry.pk).update(text=f"Entry {MARKUP}")
    type(world.contribution).objects.filter(pk=world.contribution.pk).update(text=f"Idea {MARKUP}")
    client.force_login(world.users["sw"])
    pages = [
        f"/projects/{world.project.pk}/",
        "/projects/",
        f"/tools/{world.sbmc.pk}/",
        f"/co-creation/contributions/{world.contribution.pk}/",
        "/co-creation/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), url
    detail = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert "&lt;script&gt;" in detail
