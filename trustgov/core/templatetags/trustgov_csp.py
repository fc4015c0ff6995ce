"""Give server-rendered inline SVG's <style> elements this response's CSP nonce.

The Content-Security-Policy allows no inline style without the nonce (settings CONTENT_SECURITY_POLICY,
ADR 0011). pygal's charts carry their CSS in a <style> element inside the SVG, whose selectors are the
chart's own id, so it cannot move to a static file: ``{{ chart|style_nonce:CSP_NONCE }}``.
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

STYLE_TAG = re.compile(r"<style\b")


@register.filter
def style_nonce(html, nonce) -> str:
    nonce = (
        "" if nonce is None else str(nonce)
    )  # django-csp's lazy nonce is falsy until read: reading it puts it in the header
    if not isinstance(html, SafeString) or not nonce:
        return html
    return mark_safe(STYLE_TAG.sub(f'<style nonce="{escape(nonce)}"', html))  # noqa: S308 - markup already safe
