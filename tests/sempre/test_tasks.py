import uuid

from django.core.cache import cache

from sempre.tasks import ping, ping_marker_key


def test_ping_answers_pong():
    assert ping.apply().get() == "pong"


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


def test_ping_is_retried_on_transient_cache_errors_only():
    from redis.exceptions import ConnectionError as RedisConnectionError

    assert ping.name == "sempre.ping"
    assert ping.acks_late
    assert RedisConnectionError in ping.autoretry_for
    assert ValueError not in ping.autoretry_for
    assert ping.max_retries == 3
