"""The project's URLs plus the benchmark's floors: a view that does nothing but check the sign-in (its cost is
the session and user look-ups every page pays), so each page is measured as a ratio to it in the same run."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from trustgov.urls import urlpatterns as project_urlpatterns


@login_required
def signed_in_floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", signed_in_floor, name="bench-floor"), *project_urlpatterns]
