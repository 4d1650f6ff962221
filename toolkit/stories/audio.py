"""Voice recordings: what the server accepts, judged by the file's bytes, never by its name or the
type the browser claims.

Browsers' MediaRecorder writes WebM (Chrome, Edge, Firefox on some systems), Ogg (Firefox) or MP4
(Safari). The page stops recording at MAX_SECONDS and sends the length it recorded; the server
refuses a longer one, and a file larger than MAX_BYTES whatever it claims (a WebM file from
MediaRecorder carries no length in its header, so the size is the server's own bound: three minutes
of speech in Opus at the browsers' usual 32-128 kbit/s is 0.7-2.9 MB).
"""

from dataclasses import dataclass

from django.conf import settings

MAX_SECONDS = 180


def max_bytes() -> int:
    return int(getattr(settings, "STORIES_AUDIO_MAX_BYTES", 4 * 1024 * 1024))


@dataclass(frozen=True)
class AudioKind:
    content_type: str
    extension: str


WEBM = AudioKind("audio/webm", "webm")
OGG = AudioKind("audio/ogg", "ogg")
MP4 = AudioKind("audio/mp4", "m4a")


def sniff(head: bytes) -> AudioKind | None:
    """The recording's kind from its first bytes, or None for anything else."""
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:  # EBML header, DocType webm
        return WEBM
    if head.startswith(b"OggS"):
        return OGG
    if len(head) >= 12 and head[4:8] == b"ftyp":  # ISO base media file (MP4/M4A)
        return MP4
    return None


def read_head(file, size: int = 64) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head
