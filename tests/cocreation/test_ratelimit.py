import pytest

from toolkit.cocreation import ratelimit


def test_limit_counts_up_to_the_setting(settings):
    settings.COCREATION_RATE_LIMITS = {"address": 2}
    limit = ratelimit.Limit("address", "192.0.2.1")
    assert not limit.exceeded()
    limit.hit()
    limit.hit()
    assert limit.exceeded()
    assert not ratelimit.Limit("address", "192.0.2.2").exceeded()


def test_limits_fail_open_when_the_cache_is_down(monkeypatch):
    class Broken:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    monkeypatch.setattr(ratelimit, "cache", Broken())
    limit = ratelimit.Limit("invite", "1")
    assert limit.hit() == 0
    assert not limit.exceeded()


PROXY = "10.0.0.1"  # one nginx in front: it appends the address it saw to what the client sent
CLIENT = "198.51.100.7"


def through_the_proxy(rf, forged: str = ""):
    forwarded = f"{forged}, {CLIENT}" if forged else CLIENT
    return rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.parametrize(("proxies", "expected"), [(0, PROXY), (1, CLIENT)])
def test_client_address_is_the_cores_client_ip(rf, settings, proxies, expected):
    settings.SEMPRE_PROXY_COUNT = proxies
    assert ratelimit.client_address(through_the_proxy(rf, forged="203.0.113.9")) == expected


def test_a_forged_leftmost_forwarded_entry_does_not_change_the_limit_behind_one_proxy(rf, settings):
    settings.SEMPRE_PROXY_COUNT = 1
    settings.COCREATION_RATE_LIMITS = {"lookup": 2}
    ratelimit.lookup_limit(through_the_proxy(rf)).hit()
    ratelimit.lookup_limit(through_the_proxy(rf, forged="203.0.113.1")).hit()
    # a new made-up address on every request still counts against the client's own address
    assert ratelimit.lookup_limit(through_the_proxy(rf, forged="203.0.113.2")).exceeded()
    assert not ratelimit.lookup_limit(
        rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.50")
    ).exceeded()
