"""The browser the journeys run in is the one they mean to run in."""

import pytest

from .conftest import JS_FLAGS

pytestmark = pytest.mark.browser


def feature_lists(command_line: str, switch: str) -> list[set]:
    """Every value of `--<switch>=a,b` on a command line, in order, as sets of names."""
    prefix = f"--{switch}="
    return [set(word[len(prefix) :].split(",")) for word in command_line.split() if word.startswith(prefix)]


def test_no_feature_switch_undoes_an_earlier_one(browser):
    """Chromium applies only the last --disable-features (and --enable-features) it is given. Ours
    come after Playwright's defaults and Debian's, so each must repeat theirs: a name in an earlier
    one and not in the last is silently not applied."""
    page = browser.new_page()
    try:
        page.goto("chrome://version")
        command_line = page.locator("#command_line").inner_text()
    finally:
        page.close()
    assert feature_lists(command_line, "disable-features"), command_line  # the page shows the switches
    for switch in ("disable-features", "enable-features"):
        *earlier, last = feature_lists(command_line, switch) or [set()]
        lost = set().union(*earlier) - last
        assert not lost, f"--{switch}: {', '.join(sorted(lost))} given, then dropped by a later --{switch}"
    assert "RenderDocument" in feature_lists(command_line, "disable-features")[-1]
    # Chromium passes V8 the last --js-flags only: ours must be the one.
    js_flags = command_line.split("--js-flags=")[1:]
    assert len(js_flags) == 1, command_line
    assert js_flags[0].startswith(JS_FLAGS.removeprefix("--js-flags=")), command_line


def test_the_check_sees_a_dropped_feature():
    command_line = (
        "chromium --disable-features=PaintHolding,MediaRouter --headless --disable-features=RenderDocument"
    )
    *earlier, last = feature_lists(command_line, "disable-features")
    assert set().union(*earlier) - last == {"PaintHolding", "MediaRouter"}
