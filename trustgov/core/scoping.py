"""Tenancy: one scoping function per model decides which records a user may see.

Each app's selectors.py registers a function ``(user) -> QuerySet`` for each of its
models with ``@scope_for(Model)``. Views, the API, exports and the history page all
read through ``visible(Model, user)``; a record outside it is a 404, never a 403.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

ScopeFunction = Callable[..., QuerySet]
_SCOPES: dict[type[Model], ScopeFunction] = {}


def scope_for(model: type[Model]) -> Callable[[ScopeFunction], ScopeFunction]:
    def register(func: ScopeFunction) -> ScopeFunction:
        _SCOPES[model] = func
        return func

    return register


def visible(model: type[Model], user) -> QuerySet:
    try:
        func = _SCOPES[model]
    except KeyError:  # pragma: no cover - a programming error, caught by tests
        raise LookupError(f"No scoping function registered for {model.__name__}") from None
    return func(user)


def get_visible_or_404(model: type[Model], user, **lookup) -> Model:
    return get_object_or_404(visible(model, user), **lookup)


def registered_models() -> list[type[Model]]:
    return list(_SCOPES)


def is_dfe_or_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "is_dfe", False)))
