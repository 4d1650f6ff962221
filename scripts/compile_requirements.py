"""Pin requirements.txt (runtime) and requirements-dev.txt (runtime + tests) from pyproject.toml.

Uses pip's resolver (`pip install --dry-run --report`), so the files hold exact versions and no
index URLs or host names.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def resolve(target: str) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(  # noqa: S603 - our own interpreter running pip with fixed arguments
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--dry-run",
                "--ignore-installed",
                "--report",
                str(report),
                target,
            ],
            check=True,
            cwd=ROOT,
        )
        data = json.loads(report.read_text())
    pins = []
    for item in data["install"]:
        meta = item["metadata"]
        if meta["name"].lower() == "sempre":
            continue
        pins.append(f"{meta['name']}=={meta['version']}")
    return sorted(pins, key=str.lower)


def main():
    header = "# Compiled from pyproject.toml by `make requirements`; do not edit by hand.\n"
    (ROOT / "requirements.txt").write_text(header + "\n".join(resolve(".")) + "\n")
    runtime = set(resolve("."))
    dev = [p for p in resolve(".[dev]") if p not in runtime]
    (ROOT / "requirements-dev.txt").write_text(header + "-r requirements.txt\n" + "\n".join(dev) + "\n")


if __name__ == "__main__":
    main()
