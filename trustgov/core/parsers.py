"""Request parsers that refuse a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413.

DRF reads the request stream itself, so Django's own size check (made when ``request.body``
is read) does not apply to API requests: these parsers apply it, and answer with a
problem-details 413 instead of a 400 or a server error.
"""

import io

from django.conf import settings
from rest_framework import exceptions, parsers, status


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


def _limit() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def read_limited(stream, parser_context=None) -> io.BytesIO:
    limit = _limit()
    request = (parser_context or {}).get("request")
    if limit is not None and request is not None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise PayloadTooLarge(f"The request body is larger than the limit of {limit} bytes.")
    data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise PayloadTooLarge(f"The request body is larger than the limit of {limit} bytes.")
    return io.BytesIO(data)


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(read_limited(stream, parser_context), media_type, parser_context)
        return data


class LimitedFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(read_limited(stream, parser_context), media_type, parser_context)
