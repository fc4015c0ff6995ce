"""Request checks that every page and API endpoint share."""

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
