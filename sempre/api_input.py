"""What the API accepts (issue #19): bodies of a bounded size, JSON of a bounded depth.

- `ApiBodyLimitMiddleware` refuses an API request whose body is larger than
  DATA_UPLOAD_MAX_MEMORY_SIZE with a JSON 413 naming both sizes, before anything reads the body
  (Django would otherwise answer its HTML 400 page from whichever middleware read it first).
- `JSONParser` reads JSON with orjson (iterative: no RecursionError at any depth) and refuses arrays
  and objects nested deeper than MAX_JSON_DEPTH with a 400. No request the platform understands
  nests beyond 3 or 4 levels; a deep one is an attack on every piece of code that walks it
  recursively afterwards (validation, the audit log's JSON, error rendering).

Both answer in the API's error format, `{"detail": "..."}`, on every route under /api/.
"""

import orjson
from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status

MAX_JSON_DEPTH = 32
API_PREFIX = "/api/"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def body_limit() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large_message(size: int, limit: int) -> str:
    return _("The request body is %(size)s bytes; the API accepts at most %(limit)s bytes.") % {
        "size": size,
        "limit": limit,
    }


def _depth_exceeds(data, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` levels; iterative, so any depth is safe."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def too_deep_message() -> str:
    return _("The JSON is nested too deeply: at most %(limit)s levels of arrays and objects.") % {
        "limit": MAX_JSON_DEPTH
    }


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, reading with orjson, within the size and depth limits.

    As DRF's strict parser: NaN and Infinity are refused; a duplicate key keeps its last value."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = body_limit()
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            # No Content-Length (chunked): the middleware could not see the size.
            raise RequestTooLarge(too_large_message(len(raw), limit))
        encoding = parsers.get_encoding(parser_context or {})  # text codecs only (DRF's rule)
        try:
            text = raw if encoding.lower().replace("-", "") == "utf8" else raw.decode(encoding)
            data = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            if "depth" in str(error):
                raise exceptions.ParseError(too_deep_message()) from None
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        except (UnicodeDecodeError, LookupError) as error:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(too_deep_message())
        return data


class ApiBodyLimitMiddleware:
    """A JSON 413 for an API request body over DATA_UPLOAD_MAX_MEMORY_SIZE (Content-Length), and a
    JSON 400 for a Content-Length that is not a number. Placed first: nothing has read the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request):
        limit = body_limit()
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(declared)
        except ValueError:
            return JsonResponse({"detail": _("The Content-Length header is not a number.")}, status=400)
        if limit is not None and size > limit:
            return JsonResponse({"detail": too_large_message(size, limit)}, status=413)
        return None
