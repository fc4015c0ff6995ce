"""The search pages: signed in, across everything the user may open; and a live council's public search, across
its published meetings, agenda items and papers (ADR 0606). GET only; the form works without JavaScript."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from trustgov.core.pagination import page_links
from trustgov.core.public_sections import public_navigation
from trustgov.organisations.selectors import live_councils

from . import engine, kinds
from .forms import SearchForm


def _results_context(request, kind_list, scope, slug: str = "") -> dict:
    form = SearchForm(request.GET or None)
    context = {"form": form, "kinds": kind_list, "query": "", "results": None}
    if not form.is_bound or not form.is_valid():
        return context
    query = form.cleaned_data["q"]
    context["query"] = query
    if not query:
        return context
    kind_key = form.cleaned_data["kind"]
    results = engine.search(kind_list, scope, query, kind_key=kind_key, page=form.cleaned_data["page"], slug=slug)

    def url(page: int = 1, kind: str | None = None) -> str:
        params = {"q": query}
        chosen = kind_key if kind is None else kind
        if chosen:
            params["kind"] = chosen
        if page > 1:
            params["page"] = page
        return f"{request.path}?{urlencode(params)}"

    context.update(
        results=results,
        all_url=url(kind=""),
        kind_urls=[(count, url(kind=count.kind.key)) for count in results.counts],
        pagination=page_links(results.page, results.pages, url),
    )
    return context


@require_GET
@login_required
def search(request):
    return render(request, "search/search.html", _results_context(request, kinds.SIGNED_IN, request.user))


@require_GET
def public_search(request, slug: str):
    council = get_object_or_404(live_councils(), slug=slug)
    context = _results_context(request, kinds.PUBLIC, council, slug=slug)
    context.update(
        council=council,
        organisation_name=council.name,
        header_home_url=reverse("public:council-index", kwargs={"slug": slug}),
        navigation=public_navigation(slug, "search:public-search"),
    )
    return render(request, "search/search.html", context)
