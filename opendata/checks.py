"""The app refuses to start with an OCDS prefix the Open Contracting Partnership could not have issued."""

import re

from django.conf import settings
from django.core.checks import Error, register

# "ocds-" and exactly six lower-case letters or digits (the registry's form), nothing after.
OCDS_PREFIX_RULE = re.compile(r"ocds-[a-z0-9]{6}")


@register()
def ocds_prefix_check(app_configs=None, **kwargs) -> list[Error]:
    prefix = getattr(settings, "OCDS_PREFIX", None)
    if isinstance(prefix, str) and OCDS_PREFIX_RULE.fullmatch(prefix):
        return []
    return [
        Error(
            f"OCDS_PREFIX is {prefix!r}: it must be 'ocds-' followed by exactly six lower-case letters or digits "
            "(the prefix the Open Contracting Partnership registered for this publisher).",
            hint="Set the OCDS_PREFIX environment variable, for example OCDS_PREFIX=ocds-a1b2c3.",
            id="opendata.E001",
        )
    ]
