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


@pytest.mark.parametrize(("trust", "expected"), [(False, "10.0.0.1"), (True, "203.0.113.9")])
def test_client_address_trusts_the_proxy_header_only_when_told(rf, settings, trust, expected):
    settings.COCREATION_TRUST_X_FORWARDED_FOR = trust
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    assert ratelimit.client_address(request) == expected
