"""Invitation links: Django's password-reset token machinery with its own salt and lifetime.

A token is signed over the user's password hash and last sign-in, so it stops working the moment
the password is set (it can be used once), and it expires after ``settings.INVITATION_TIMEOUT``.
"""

from enum import StrEnum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode


class LinkState(StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "trustgov.accounts.invitations.InvitationTokenGenerator"

    def state(self, user, token: str) -> LinkState:
        if user is None or not token:
            return LinkState.INVALID
        if user.has_usable_password():
            return LinkState.USED
        try:
            ts = base36_to_int(token.split("-")[0])
        except ValueError:
            return LinkState.INVALID
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(constant_time_compare(self._make_token_with_timestamp(user, ts, s), token) for s in secrets):
            return LinkState.INVALID
        if self._num_seconds(self._now()) - ts > settings.INVITATION_TIMEOUT:
            return LinkState.EXPIRED
        if not user.is_active:
            return LinkState.INVALID
        return LinkState.VALID

    def check_token(self, user, token) -> bool:
        return self.state(user, token) == LinkState.VALID


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invitation-accept", kwargs={"uidb64": uidb64, "token": invitation_tokens.make_token(user)})


def user_from_uidb64(uidb64: str):
    from .models import User

    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk, is_superuser=False).first()


LINK_MESSAGES = {
    LinkState.USED: "This invitation link has already been used. Sign in with the password you set, "
    "or ask for a password reset.",
    LinkState.EXPIRED: "This invitation link has expired. Ask your administrator to send a new invitation.",
    LinkState.INVALID: "This invitation link is not valid. Check you copied the whole link from the email, "
    "or ask your administrator to send a new invitation.",
}
