"""QR codes as inline SVG, so a sheet prints sharply at any size without image files."""

import io

import qrcode
import qrcode.image.svg
from django.utils.html import escape


def qr_svg(data: str, *, label: str = "") -> str:
    """An <svg> element (no XML declaration) that scales to its container."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]
    # Drop the fixed millimetre size: CSS sizes it; keep the viewBox for scaling.
    head, rest = svg.split(">", 1)
    head = " ".join(part for part in head.split(" ") if not part.startswith(("width=", "height=")))
    label = escape(label or data)
    rest = rest.replace(' id="qr-path"', "")  # the page may show the code twice (screen and sheet)
    return f'{head} role="img" aria-label="{label}" focusable="false">{rest}'
