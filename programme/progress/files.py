"""Evidence files leave the platform only here: after the caller has found the file among those the
person may see (`selectors.evidence_visible_to`), with an audit line, as an attachment."""

from django.http import HttpResponse

from reports.api import file_response

from . import services


def evidence_response(evidence, *, by, request=None) -> HttpResponse | None:
    """The file as an attachment, sent as SEMPRE_FILE_SERVING says (as report files are:
    docs/operations.md), or None when it is no longer in storage."""
    try:
        response = file_response(evidence)  # reads .file and .filename, as a report job has
    except FileNotFoundError:
        return None
    services.evidence_downloaded(evidence=evidence, by=by, request=request)
    response["Content-Type"] = evidence.content_type
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded file opened in the browser must not run as part of the site.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Checksum-SHA256"] = evidence.checksum
    return response
