"""Request checks that every page and API endpoint share."""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .views import _problem as problem
from .views import error_400


class RejectNullCharactersMiddleware:
    """A NUL character in a query parameter is a 400 naming the parameter.

    Forms already refuse NUL in their fields, but query parameters (filters, ``?on=``, ``?body=``)
    reach the database directly, and PostgreSQL cannot store or compare a string containing one:
    without this check such a request is a server error there (and silently matches nothing on SQLite).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                shown = name.replace("\x00", "")
                return error_400(request, detail=f"The '{shown}' parameter contains a character that is not allowed.")
        return self.get_response(request)


class BrowserPolicyMiddleware:
    """Headers a browser acts on: Permissions-Policy everywhere, and no caching of signed-in pages.

    A signed-in page (anything under the session that is not the API) holds one tenant's data: it is
    ``Cache-Control: private, no-store``, so neither a shared cache nor the browser's back button shows
    it after sign-out. Static files never reach this middleware (WhiteNoise answers them first) and
    the health checks are not signed in; the API keeps its own ETag caching rules.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response = self._method_not_allowed_page(request, response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _method_not_allowed_page(request, empty):
        """Django's 405 (require_GET, require_POST, PageMethodsMiddleware) is empty: a person gets a GOV.UK page,
        an API client (anything under /api/, as for every other error there) a problem."""
        if request.path.startswith("/api/"):
            page = problem(405, "Method Not Allowed", f"This address takes {empty['Allow']} only.")
        else:
            page = render(request, "errors/405.html", status=405)
        page["Allow"] = empty["Allow"]
        return page


PAGE_METHODS = ("GET", "HEAD", "POST")


class PageMethodsMiddleware:
    """A web page takes GET (and HEAD) and, where it has a form, POST: any other method is a 405.

    Django's function views answer whatever method they are sent (and its form views treat PUT as
    POST), so without this a DELETE of a contract page renders the page. Pages that take only GET or
    only POST say so themselves (``require_GET`` / ``require_POST``); the API (DRF answers each
    method itself) and the Django admin are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in PAGE_METHODS or request.path.startswith("/admin/"):
            return None
        if hasattr(view_func, "cls"):  # a DRF view, wherever it is mounted
            return None
        return HttpResponseNotAllowed(PAGE_METHODS)
