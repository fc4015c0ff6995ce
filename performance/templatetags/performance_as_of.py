"""``{% as_of_url url body=... %}`` and ``{% as_of_field %}``: links and GET forms inside a past view keep its
date ("as it stood on", ADR 0307) when they lead to a page that reads it, and lead to today's record otherwise.

Both read ``as_of`` (``performance.as_of.AsOf``) from the page's context, so a template never builds the date into
a link itself; a page with no ``as_of`` (or today's view) gets its links unchanged.
"""

from django import template
from django.utils.html import format_html

from performance.as_of import FIELD, AsOf, keep_date

register = template.Library()


@register.simple_tag(takes_context=True)
def as_of_url(context, url, **params) -> str:
    """``url`` with ``params`` (empty ones left out) and the past view's date, when the page it leads to reads it."""
    return keep_date(context.get("as_of"), str(url), **params)


@register.simple_tag(takes_context=True)
def as_of_field(context) -> str:
    """A hidden field that keeps the past view's date in a GET form that redraws the page (a choice of trust or
    KPI); nothing in today's view."""
    as_of = context.get("as_of")
    if not isinstance(as_of, AsOf) or not as_of.day:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, as_of.day.isoformat())
