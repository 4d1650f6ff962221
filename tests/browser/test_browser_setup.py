"""The browser the journeys run in is the one they mean to run in."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import REQUIRE_SERVICES
from .conftest import JS_FLAGS, browser_executable

pytestmark = pytest.mark.browser


def feature_lists(command_line: str, switch: str) -> list[set]:
    """Every value of `--<switch>=a,b` on a command line, in order, as sets of names."""
    prefix = f"--{switch}="
    return [set(word[len(prefix) :].split(",")) for word in command_line.split() if word.startswith(prefix)]


def browser_command_line() -> str:
    """The command line this process's browser runs with, as the kernel has it: the Chromium
    process (not Debian's launcher script, not a renderer) among this test process's descendants.
    (The headless shell has no chrome://version page to read it from.)"""
    parent_of, chromium = {}, []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent_of[entry.name] = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            executable = os.readlink(entry / "exe")
        except OSError:  # gone, or not ours to read
            continue
        # A child process (renderer, GPU, ...) has its arguments rewritten as one string.
        if Path(executable).name.startswith("chromium") and " --type=" not in command_line:
            chromium.append((entry.name, command_line))

    def descends_from_us(pid):
        while pid in parent_of and pid != "1":
            if pid == str(os.getpid()):
                return True
            pid = parent_of[pid]
        return False

    ours = [command_line for pid, command_line in chromium if descends_from_us(pid)]
    assert len(ours) == 1, f"expected one browser of this test process, found {ours}"
    return ours[0]


def test_no_feature_switch_undoes_an_earlier_one(browser):
    """Chromium applies only the last --disable-features (and --enable-features) it is given. Ours
    come after Playwright's defaults and Debian's, so each must repeat theirs: a name in an earlier
    one and not in the last is silently not applied."""
    command_line = browser_command_line()
    assert feature_lists(command_line, "disable-features"), command_line  # the switches are there to read
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


@pytest.mark.skipif(not REQUIRE_SERVICES, reason="CI's browser; elsewhere either of conftest.BROWSERS")
def test_ci_runs_the_journeys_in_debians_headless_shell(browser):
    """The suite's time in CI assumes the headless shell (docs/testing.md); `.ci/run` installs it
    beside `chromium` (the bench's Lighthouse), and the two must be the same Chromium version."""
    session = browser.new_browser_cdp_session()
    try:
        version = session.send("Browser.getVersion")
    finally:
        session.detach()
    assert version["product"].startswith("HeadlessChrome/"), version
    assert "/usr/lib/chromium/chromium-headless-shell" in browser_command_line()
    chromium = shutil.which("chromium")
    assert chromium, "`chromium` is not installed (the bench's Lighthouse needs it; .ci/run installs it)"
    full = subprocess.run([chromium, "--version"], capture_output=True, text=True, check=True)
    assert version["product"].removeprefix("HeadlessChrome/") in re.findall(r"[\d.]+", full.stdout), (
        full.stdout
    )


def test_a_browser_chosen_by_name_must_be_there(monkeypatch):
    """SEMPRE_BROWSER=chromum (a typo) fails, naming the variable, instead of skipping every journey."""
    monkeypatch.setenv("SEMPRE_BROWSER", "chromum")
    with pytest.raises(pytest.fail.Exception, match="SEMPRE_BROWSER=chromum: no such browser"):
        browser_executable()
    monkeypatch.setenv("SEMPRE_BROWSER", "sh")  # any program on PATH is taken as named
    assert browser_executable() == shutil.which("sh")
