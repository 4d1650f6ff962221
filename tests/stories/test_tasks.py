from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app
from toolkit.stories.models import Story
from toolkit.stories.tasks import PURGE

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_the_purge_runs_daily_by_its_registered_name():
    assert PURGE in app.tasks
    assert any(entry["task"] == PURGE for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_the_purge_task_deletes_withdrawn_stories_past_their_retention(project):
    old = StoryFactory(invite__project=project, withdrawn_at=timezone.now() - timedelta(days=31))
    recent = StoryFactory(invite__project=project, withdrawn_at=timezone.now() - timedelta(days=29))
    result = app.tasks[PURGE].apply().result
    assert result == {"recordings": 0, "withdrawn": 1}
    assert list(Story.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Story.objects.filter(pk=old.pk).exists()
