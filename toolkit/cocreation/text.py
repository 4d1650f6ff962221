"""Client text is stored as plain text: no HTML survives, however it was typed or encoded."""

import html
import re
import unicodedata

import nh3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{3,}")


def plain_text(value: str) -> str:
    """Strip every tag (and the content of script/style), decode entities, repeat until nothing
    changes (so "&lt;b&gt;" cannot turn into a tag later), drop control characters, trim."""
    text = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(5):
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    else:
        # Still changing after five rounds: deliberately nested; keep only what has no markup left.
        text = text.replace("<", "").replace(">", "")
    text = _CONTROL.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def single_line(value: str) -> str:
    return " ".join(plain_text(value).split())
