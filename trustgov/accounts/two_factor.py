"""Two-factor sign-in: who must use it, checking a code, and the set-up QR code (ADR 0012).

Devices are django-otp's: one confirmed ``TOTPDevice`` (an authenticator app) and one
``StaticDevice`` holding the unused recovery codes. Changes go through ``services``; this module
only reads and checks.
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Role, role_of

# Roles that may choose two-factor sign-in but are not made to (they only read published papers).
OPTIONAL_ROLES = frozenset({Role.SCRUTINY_MEMBER})
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Codes from one 30-second step either side of now are accepted (a phone's clock drifts).
TOTP_TOLERANCE = 1


def required_for(user) -> bool:
    """Must this user set up and use two-factor sign-in? (TRUSTGOV_REQUIRE_2FA, and not an optional role.)"""
    if not settings.TRUSTGOV_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    return role_of(user) not in OPTIONAL_ROLES


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def is_set_up(user) -> bool:
    return totp_device(user) is not None


def must_verify(user) -> bool:
    """A signed-in user who has not entered a code this session, and needs to (required, or set up by choice)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_verified():
        return False
    return required_for(user) or is_set_up(user)


def recovery_codes_left(user) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


# --- codes -------------------------------------------------------------------------------------


def normalise_code(value: str) -> str:
    """What the user typed, without spaces or hyphens (apps show '123 456'; recovery codes may be copied with them)."""
    return "".join(value.split()).replace("-", "").lower()


def new_secret() -> str:
    """A new TOTP key, hex as django-otp stores it (20 random bytes)."""
    from django_otp.plugins.otp_totp.models import default_key

    return default_key()


def secret_for_people(key_hex: str) -> str:
    """The key as an authenticator app asks for it when typed in: base32, in groups of four."""
    text = base64.b32encode(binascii.unhexlify(key_hex)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_code_step(key_hex: str, code: str) -> int | None:
    """The time step a set-up code belongs to (``None`` if it does not match the key, not yet saved).
    Checked with django-otp's TOTP; nothing is saved."""
    if not code.isdigit():
        return None
    totp = TOTP(binascii.unhexlify(key_hex), step=30, t0=0, digits=6)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=TOTP_TOLERANCE):
        return None
    return totp.t()


@dataclass(frozen=True)
class Check:
    """The outcome of checking a code: the device that accepted it, or the message for the field."""

    device: TOTPDevice | StaticDevice | None
    error: str = ""


WAIT_MESSAGE = "You entered a wrong code too many times. Wait {seconds} seconds, then try again"


def _refused_for_now(device) -> str:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return ""
    from django.utils import timezone

    until = (data or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return WAIT_MESSAGE.format(seconds=seconds)


def check_app_code(user, code: str) -> Check:
    """Check a code from the user's authenticator app. A wrong code counts towards django-otp's
    throttle (saved on the device whatever the request does next); a code already used is refused."""
    device = totp_device(user)
    if device is None:
        return Check(None, "Set up two-factor authentication first")
    code = normalise_code(code)
    if not (code.isdigit() and len(code) == 6):
        return Check(None, "Enter the 6-digit code from your authenticator app")
    if message := _refused_for_now(device):
        return Check(None, message)
    if device.verify_token(code):
        return Check(device)
    return Check(
        None,
        "The code is not right, has expired or was already used: enter the code your authenticator app shows now",
    )


def check_recovery_code(user, code: str) -> Check:
    """Check (and use up) a recovery code."""
    device = recovery_device(user)
    code = normalise_code(code)
    if not code:
        return Check(None, "Enter a recovery code")
    if device is None:
        return Check(
            None, "You have no recovery codes left: ask an administrator to reset your two-factor authentication"
        )
    if message := _refused_for_now(device):
        return Check(None, message)
    if device.verify_token(code):
        return Check(device)
    return Check(None, "The recovery code is not right or was already used: each code works once")


# --- set-up QR code ----------------------------------------------------------------------------


def provisioning_uri(*, key_hex: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code (Key Uri Format)."""
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "TrustGov")
    secret = base64.b32encode(binascii.unhexlify(key_hex)).decode().rstrip("=")
    label = quote(f"{issuer}:{username}")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"


def qr_code_svg(data: str) -> SafeString:
    """The QR code as inline SVG made on the server: paths only, no script and no style attribute (CSP)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=4, box_size=15)
    svg = image.to_string(encoding="unicode")
    # An accessible name for the image; the secret is also given in text beside it.
    svg = svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)
    return mark_safe(svg)  # noqa: S308 - generated here from the URI, no user markup
