"""The two steps every form page shares: run a service for a valid form, and render the page.

Services hold the rules and raise ``ValidationError`` naming the field; these helpers put that
message onto the form so the GOV.UK error summary shows it, and roll back anything the service
wrote first, so bad input never leaves a partial change behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import apply_validation_error
from .permissions import is_role_refusal

FORM_PAGE_TEMPLATE = "includes/form_page.html"


def run_service(form: forms.BaseForm, call: Callable[[], Any]) -> Any:
    """Call a service in one transaction; on its ValidationError put the messages on ``form``.

    Returns what the service returned (``True`` if it returned nothing), or ``None`` when it
    refused, so a view can write ``if (obj := run_service(form, lambda: ...)):``.
    """
    try:
        with transaction.atomic():
            result = call()
    except ValidationError as exc:
        if is_role_refusal(exc):  # the wrong role is a 403, as on the API; the wrong step stays on the form (ADR 0008)
            raise PermissionDenied(" ".join(exc.messages)) from exc
        apply_validation_error(form, exc)
        return None
    return True if result is None else result


def render_form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    caption: str = "",
    intro: str = "",
    cancel_url: str = "",
    template: str = FORM_PAGE_TEMPLATE,
    **extra: Any,
) -> HttpResponse:
    """The standard one-form page; a form with errors answers 400 so clients and tests can tell."""
    context = {"form": form, "title": title, "caption": caption, "intro": intro, "cancel_url": cancel_url, **extra}
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)
