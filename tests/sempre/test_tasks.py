import uuid

import pytest
from django.core.cache import cache

from sempre.tasks import ping, ping_marker_key


def test_ping_answers_pong():
    assert ping.apply().result == "pong"


def test_ping_leaves_the_marker_it_is_given():
    marker = uuid.uuid4().hex
    ping.apply(kwargs={"marker": marker})
    note = cache.get(ping_marker_key(marker))
    assert note is not None
    assert note["hostname"]


def test_ping_without_marker_writes_nothing():
    key = ping_marker_key("")
    ping.apply()
    assert cache.get(key) is None


class CacheThatFails:
    """Django's cache, except that the first `set` raises `error`."""

    def __init__(self, error):
        self.error, self.sets = error, 0

    def set(self, *args, **kwargs):
        self.sets += 1
        if self.sets == 1:
            raise self.error
        return cache.set(*args, **kwargs)


def test_ping_is_retried_when_the_cache_was_briefly_unreachable(monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from sempre import tasks

    flaky = CacheThatFails(RedisConnectionError("Connection refused"))
    monkeypatch.setattr(tasks, "cache", flaky)
    marker = uuid.uuid4().hex
    # In-process, errors handled as in a worker (throw=False): the retry runs at once.
    assert ping.apply(kwargs={"marker": marker}, throw=False).get() == "pong"
    assert flaky.sets == 2
    assert cache.get(ping_marker_key(marker)) is not None


def test_ping_is_not_retried_on_an_error_that_would_happen_again(monkeypatch):
    from sempre import tasks

    broken = CacheThatFails(ValueError("not a cache error"))
    monkeypatch.setattr(tasks, "cache", broken)
    result = ping.apply(kwargs={"marker": uuid.uuid4().hex}, throw=False)
    with pytest.raises(ValueError):
        result.get()
    assert broken.sets == 1
