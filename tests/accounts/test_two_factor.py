"""Two-factor sign-in (ADR 0012): who must use it, set-up, codes and their time windows, recovery
codes, resets, and the lockout and throttle counting in the shared cache.

Codes are made from the device's own key with django_otp.oath.totp at a frozen moment; no mocks.
"""

import base64
import binascii
import os
import re
import subprocess
import sys
import uuid

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustgov.accounts import services, two_factor
from trustgov.accounts.models import User

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = "trustgov-demo-2026"  # noqa: S105
MOMENT = "2027-06-15 10:00:15+00:00"  # 15 seconds into a 30-second step


@pytest.fixture
def required(settings):
    settings.TRUSTGOV_REQUIRE_2FA = True
    return settings


def code_at(key_hex: str, *, steps: int = 0) -> str:
    """The code an authenticator app shows now (steps=0), or so many 30-second steps from now."""
    return f"{totp(binascii.unhexlify(key_hex), drift=steps):06d}"


def sign_in(client, username: str, **extra):
    return client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, **extra)


def enrol(username: str) -> tuple[User, str, list[str]]:
    user = User.objects.get(username=username)
    key = two_factor.new_secret()
    codes = services.two_factor_enrol(user=user, key=key, code=code_at(key, steps=-1))
    return user, key, codes


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


# --- who must use it -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "when_required"),
    [
        ("sandwell-officer", True),
        ("sandwell-trust-exec", True),
        ("dfe-liaison", True),
        ("sandwell-scrutiny", False),  # optional for scrutiny members
    ],
)
def test_required_per_role_when_the_setting_is_on_and_for_nobody_when_off(settings, username, when_required):
    user = User.objects.get(username=username)
    settings.TRUSTGOV_REQUIRE_2FA = True
    assert two_factor.required_for(user) is when_required
    settings.TRUSTGOV_REQUIRE_2FA = False
    assert two_factor.required_for(user) is False


def test_the_demo_and_tests_default_to_password_alone(client, settings):
    assert settings.TRUSTGOV_REQUIRE_2FA is False
    response = sign_in(client, "sandwell-officer")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_when_required_an_officer_without_a_device_is_taken_to_set_up_and_refused_elsewhere(client, required):
    response = sign_in(client, "sandwell-officer")
    assert client.get(response["Location"])["Location"] == reverse("two-factor-setup")
    refused = client.get("/contracts/")
    assert refused.status_code == 302
    assert refused["Location"] == reverse("two-factor-setup") + "?next=%2Fcontracts%2F"
    # The Django admin's own sign-in page is not one of ours: it is refused too.
    assert client.get("/admin/login/")["Location"].startswith(reverse("two-factor-setup"))
    api = client.get("/api/v1/councils/")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    # The statement pages and sign-out stay open.
    for name in ("accessibility", "privacy", "cookies"):
        assert client.get(reverse(name)).status_code == 200
    # So do a council's public pages (ADR 0603): nothing on them needs a signed-in user.
    assert client.get(reverse("public:council-index", kwargs={"slug": "sandwell"})).status_code == 200
    assert client.post(reverse("logout")).status_code == 200


def test_scrutiny_member_may_sign_in_without_it_even_when_required(client, required):
    assert sign_in(client, "sandwell-scrutiny")["Location"] == "/"
    assert client.get("/").status_code == 200


def test_scrutiny_member_who_chose_it_is_asked_for_a_code(client, required):
    enrol("sandwell-scrutiny")
    sign_in(client, "sandwell-scrutiny")
    assert client.get("/")["Location"] == reverse("two-factor-verify")


# --- set-up ---------------------------------------------------------------------------------------


def test_set_up_shows_an_inline_svg_qr_code_and_the_key_then_confirms_and_shows_ten_codes_once(client, required):
    with time_machine.travel(MOMENT, tick=False):
        sign_in(client, "sandwell-officer")
        page = client.get(reverse("two-factor-setup"))
        html = page.content.decode()
        assert page.status_code == 200
        assert '<svg role="img" aria-label="QR code for your authenticator app"' in html
        assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
        key = client.session["trustgov_2fa_setup_key"]
        shown = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html).group(1)
        assert binascii.hexlify(base64.b32decode(shown.replace(" ", ""))).decode() == key

        wrong = client.post(reverse("two-factor-setup"), {"code": "000000" if code_at(key) != "000000" else "111111"})
        assert wrong.status_code == 400
        assert title(wrong).startswith("Error: Set up two-factor authentication")
        assert 'href="#id_code"' in wrong.content.decode()  # the error summary names the field
        assert "The code is not right or has expired" in wrong.content.decode()
        assert not TOTPDevice.objects.filter(user__username="sandwell-officer").exists()
        assert not StaticDevice.objects.filter(user__username="sandwell-officer").exists()

        letters = client.post(reverse("two-factor-setup"), {"code": "12ab56"})
        assert letters.status_code == 400 and "Enter the 6-digit code" in letters.content.decode()

        done = client.post(reverse("two-factor-setup"), {"code": code_at(key)})
        assert done["Location"] == reverse("two-factor-recovery-codes")
        device = TOTPDevice.objects.get(user__username="sandwell-officer", confirmed=True)
        assert device.key == key
        codes_page = client.get(reverse("two-factor-recovery-codes"))
        codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page.content.decode())
        assert len(codes) == 10 == StaticToken.objects.filter(device__user__username="sandwell-officer").count()
        # Shown once: the page does not show them again.
        assert client.get(reverse("two-factor-recovery-codes"))["Location"] == reverse("account")
        # Verified by set-up: the home page opens.
        assert client.get("/").status_code == 200
        user = User.objects.get(username="sandwell-officer")
        assert user.history.order_by("-history_id").first().history_change_reason == "Two-factor authentication set up"


def test_confirming_after_the_set_up_step_expired_is_a_clear_400_and_saves_nothing(client, required):
    sign_in(client, "sandwell-officer")
    response = client.post(reverse("two-factor-setup"), {"code": "123456"})
    assert response.status_code == 400
    assert "Your set-up expired: scan the new QR code" in response.content.decode()
    assert not TOTPDevice.objects.filter(user__username="sandwell-officer").exists()


def test_empty_code_names_the_field(client, required):
    sign_in(client, "sandwell-officer")
    client.get(reverse("two-factor-setup"))
    response = client.post(reverse("two-factor-setup"), {"code": ""})
    assert response.status_code == 400
    assert "Enter the 6-digit code from your authenticator app" in response.content.decode()
    assert title(response).startswith("Error: ")


# --- later sign-ins: the TOTP window --------------------------------------------------------------


def test_later_sign_in_asks_for_a_code_and_the_window_is_one_step_either_side(client, required):
    with time_machine.travel(MOMENT, tick=False) as clock:
        _user, key, _codes = enrol("sandwell-officer")  # set up with the previous step's code
        response = sign_in(client, "sandwell-officer")
        assert client.get(response["Location"])["Location"] == reverse("two-factor-verify")
        assert client.get("/contracts/")["Location"] == reverse("two-factor-verify") + "?next=%2Fcontracts%2F"

        too_old = client.post(reverse("two-factor-verify"), {"code": code_at(key, steps=-2)})
        assert too_old.status_code == 400
        assert "has expired or was already used" in too_old.content.decode()
        assert title(too_old).startswith("Error: Enter the code from your authenticator app")

        clock.shift(2)  # past django-otp's one-second wait after a wrong code
        ok = client.post(reverse("two-factor-verify") + "?next=/contracts/", {"code": code_at(key)})
        assert ok.status_code == 302 and ok["Location"] == "/contracts/"
        assert client.get("/").status_code == 200

        # The same code cannot be used twice (another sign-in within the same step).
        other = client.__class__()
        sign_in(other, "sandwell-officer")
        reused = other.post(reverse("two-factor-verify"), {"code": code_at(key)})
        assert reused.status_code == 400 and "already used" in reused.content.decode()

        # A minute later the app shows a new code, which works.
        clock.shift(60)
        fresh = other.post(reverse("two-factor-verify"), {"code": code_at(key)})
        assert fresh.status_code == 302


def test_a_code_one_step_late_is_still_accepted(client, required):
    with time_machine.travel(MOMENT, tick=False) as clock:
        _user, key, _codes = enrol("sandwell-officer")
        clock.shift(60)
        late = code_at(key, steps=-1)  # the code shown 30 seconds ago
        sign_in(client, "sandwell-officer")
        assert client.post(reverse("two-factor-verify"), {"code": late}).status_code == 302


def test_wrong_codes_make_the_user_wait(client, required):
    with time_machine.travel(MOMENT, tick=False):
        _user, key, _codes = enrol("sandwell-officer")
        sign_in(client, "sandwell-officer")
        client.post(reverse("two-factor-verify"), {"code": "999999" if code_at(key) != "999999" else "888888"})
        waiting = client.post(reverse("two-factor-verify"), {"code": code_at(key)})
        assert waiting.status_code == 400
        assert "Wait 2 seconds, then try again" in waiting.content.decode() or "Wait 1 seconds" in (
            waiting.content.decode()
        )


# --- recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client, required):
    _user, _key, codes = enrol("sandwell-officer")
    sign_in(client, "sandwell-officer")
    ok = client.post(reverse("two-factor-verify-recovery"), {"code": codes[0].upper()})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user__username="sandwell-officer").count() == 9

    other = client.__class__()
    sign_in(other, "sandwell-officer")
    used = other.post(reverse("two-factor-verify-recovery"), {"code": codes[0]})
    assert used.status_code == 400
    assert "The recovery code is not right or was already used" in used.content.decode()
    assert title(used).startswith("Error: Enter a recovery code")
    assert other.get("/").status_code == 302  # still not verified


# --- resets ---------------------------------------------------------------------------------------


def test_user_resets_their_own_device_after_entering_a_code(client, required):
    with time_machine.travel(MOMENT, tick=False) as clock:
        _user, key, codes = enrol("sandwell-officer")
        sign_in(client, "sandwell-officer")
        client.post(reverse("two-factor-verify-recovery"), {"code": codes[0]})
        account = client.get(reverse("account"))
        assert "Reset two-factor authentication" in account.content.decode()
        wrong = client.post(reverse("two-factor-reset"), {"code": "notacode"})
        assert wrong.status_code == 400
        assert TOTPDevice.objects.filter(user__username="sandwell-officer").exists()
        clock.shift(5)
        done = client.post(reverse("two-factor-reset"), {"code": code_at(key)})
        assert done["Location"] == reverse("two-factor-setup")  # required: set it up again
        assert not TOTPDevice.objects.filter(user__username="sandwell-officer").exists()
        assert not StaticDevice.objects.filter(user__username="sandwell-officer").exists()
        assert client.get("/")["Location"] == reverse("two-factor-setup")


def test_administrator_resets_a_colleague_with_a_reason_recorded_in_history(client):
    person, _key, _codes = enrol("sandwell-trust-exec")
    officer = User.objects.get(username="sandwell-officer")
    client.force_login(officer)
    url = reverse("user-two-factor-reset", kwargs={"pk": person.pk})
    assert "Set up" in client.get(reverse("user-detail", kwargs={"pk": person.pk})).content.decode()

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert "Enter why you are resetting their two-factor authentication" in empty.content.decode()
    assert TOTPDevice.objects.filter(user=person).exists()

    done = client.post(url, {"reason": "Lost their phone"})
    assert done["Location"] == reverse("user-detail", kwargs={"pk": person.pk})
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    latest = person.history.order_by("-history_id").first()  # the newest change, whatever the clock says
    assert latest.history_user == officer
    assert latest.history_change_reason.endswith(": Lost their phone")
    assert "Two-factor authentication reset by" in latest.history_change_reason


def test_administrator_cannot_reset_another_organisations_user(client):
    person, _key, _codes = enrol("torbay-partnership-exec")
    client.force_login(User.objects.get(username="sandwell-officer"))
    response = client.post(reverse("user-two-factor-reset", kwargs={"pk": person.pk}), {"reason": "Because"})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=person).exists()


# --- lockout and throttle in the shared cache -----------------------------------------------------


def test_failed_sign_ins_lock_the_account_across_addresses(client):
    for address in ("192.0.2.10", "192.0.2.10", "192.0.2.10", "198.51.100.7", "198.51.100.7"):
        refused = client.post(
            "/accounts/login/", {"username": "doncaster-officer", "password": "wrong"}, REMOTE_ADDR=address
        )
    assert refused.status_code == 429
    # Locked from a third address too, even with the right password.
    locked = sign_in(client.__class__(), "doncaster-officer", REMOTE_ADDR="203.0.113.99")
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    # Another account from the same address is not.
    assert sign_in(client.__class__(), "bradford-officer", REMOTE_ADDR="192.0.2.10").status_code == 302


def test_the_locked_message_does_not_say_whether_the_account_exists(client):
    pages = {}
    for username in ("doncaster-officer", f"nobody-{uuid.uuid4().hex[:8]}"):
        for _ in range(5):
            client.post("/accounts/login/", {"username": username, "password": "wrong"})
        response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
        pages[username] = (response.status_code, re.sub(r"\s+", " ", response.content.decode().split("<main")[1]))
    real, fake = pages.values()
    assert real[0] == fake[0] == 429
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", real[1]) == strip.sub("", fake[1])


def test_production_counts_sign_ins_and_api_throttles_in_the_shared_redis_cache():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustgov.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "trustgov.example.gov.uk",
        "SITE_URL": "https://trustgov.example.gov.uk",
        "CACHE_URL": "redis://redis.internal:6379/2",
    }
    env.pop("TRUSTGOV_REQUIRE_2FA", None)
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.cache import cache, caches\n"
        "from trustgov.core.throttling import TokenRateThrottle\n"
        "from rest_framework.settings import api_settings\n"
        "assert TokenRateThrottle in api_settings.DEFAULT_THROTTLE_CLASSES\n"
        "assert TokenRateThrottle.cache is cache\n"  # DRF's throttle counts in CACHES['default']
        "print(type(caches['default']).__module__ + '.' + type(caches['default']).__name__)\n"
        "print(settings.CACHES['default']['LOCATION'])\n"
        "print(settings.AXES_HANDLER, settings.AXES_CACHE)\n"
        "print(settings.TRUSTGOV_REQUIRE_2FA)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert run.returncode == 0, run.stderr
    backend, location, axes, require = run.stdout.split("\n")[:4]
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://redis.internal:6379/2"
    assert axes == "axes.handlers.cache.AxesCacheHandler default"
    assert require == "True"

    env["CACHE_URL"] = "locmemcache://"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert refused.returncode != 0 and "CACHE_URL must be a Redis URL" in refused.stderr
