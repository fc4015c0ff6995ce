"""ETag / If-None-Match on API reads: an unchanged resource or page is a 304 with no body."""

import hashlib

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

SAFE = ("GET", "HEAD")


def _etag_for(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def add_conditional_get(request, response):
    """Arrange for ``response`` (a DRF Response, not yet rendered) to carry an ETag and honour If-None-Match.

    The ETag is a hash of the rendered body, so it changes whenever anything the caller can
    see changes (a field, a record, the page), and differs between users who see different data.
    """
    if request.method not in SAFE or response.status_code != 200 or not hasattr(response, "add_post_render_callback"):
        return response
    django_request = getattr(request, "_request", request)

    def conditional(rendered):
        if rendered.has_header("ETag"):
            etag = rendered["ETag"]
        else:
            etag = _etag_for(rendered.content)
            rendered["ETag"] = etag
        patch_cache_control(rendered, private=True, no_cache=True)
        patch_vary_headers(rendered, ("Authorization", "Cookie"))
        not_modified = get_conditional_response(django_request, etag=etag, response=rendered)
        if not_modified is not rendered:
            # Keep the validators and caching headers on the 304.
            for header in ("Cache-Control", "Vary"):
                if rendered.has_header(header):
                    not_modified[header] = rendered[header]
            return not_modified
        return None

    response.add_post_render_callback(conditional)
    return response
