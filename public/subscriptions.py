"""Email alerts for the public when a council's meetings publish papers (ADR 0609): every change and every email.

- ``subscription_request`` (the form's POST): one active subscription per council, body and address; asking again
  sends the confirmation again (or, to a confirmed address, a reminder of how to unsubscribe), never a second row,
  and never more than one email in ``THROTTLE`` for the same address and council. What the page says does not
  depend on any of this, so it tells nobody whether an address is subscribed.
- ``subscription_confirm`` and ``subscription_unsubscribe`` (each a POST: a GET never changes anything, because
  mail scanners follow links).
- ``papers_published`` listens for ``trustgov.core.publishing.announce_papers_published`` and queues
  ``public.tasks.send_papers_published``, which emails each confirmed subscriber once per publication, naming only
  what the public pages show (``public_meetings``, ``public_papers``): never an exempt item or paper.
"""

from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from meetings.models import BodyKind, Meeting
from meetings.selectors import public_meetings, public_papers
from trustgov.core.notifications import absolute_url
from trustgov.organisations.models import Council

from .models import PublicAlertSent, PublicSubscription

THROTTLE = timedelta(minutes=10)  # no second email to the same address for the same council within this
NAMED_PAPERS = 10


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def _url(name: str, subscription: PublicSubscription) -> str:
    return absolute_url(reverse(name, kwargs={"slug": subscription.council.slug, "token": subscription.token}))


def unsubscribe_url(subscription: PublicSubscription) -> str:
    return _url("public:unsubscribe", subscription)


def _what(subscription: PublicSubscription) -> str:
    if subscription.body_kind:
        return f"papers of the {BodyKind(subscription.body_kind).label}'s meetings"
    return "papers of its meetings"


def _send(subscription: PublicSubscription, *, subject: str, lines: list[str]) -> None:
    """One email to a subscriber, through Django's email backend, always with the unsubscribe link and header."""
    link = unsubscribe_url(subscription)
    body = "\n\n".join([*lines, f"To stop these emails, unsubscribe: {link}"])
    message = EmailMessage(
        subject=subject[:200],
        body=body,
        from_email=None,
        to=[subscription.email],
        headers={"List-Unsubscribe": f"<{link}>"},
    )
    message.send()


# --- Asking, confirming, unsubscribing ----------------------------------------------------------------------------


def _reason(subscription: PublicSubscription, reason: str) -> None:
    subscription._change_reason = reason


@transaction.atomic
def subscription_request(*, council: Council, email: str, body_kind: str = "") -> None:
    """Ask for the council's papers-published emails: create or refresh the subscription and email the link.

    Returns nothing, on purpose: the caller shows the same page whatever happened here.
    """
    email, now = normalise(email), timezone.now()
    active = PublicSubscription.objects.select_for_update().filter(
        council=council, body_kind=body_kind or "", email=email, unsubscribed_at__isnull=True
    )
    subscription = active.first()
    if subscription is None:
        subscription = PublicSubscription(council=council, body_kind=body_kind or "", email=email)
        _reason(subscription, "Asked for by a member of the public")
        try:
            with transaction.atomic():
                subscription.save()
        except IntegrityError:  # the same request, at the same moment, from another worker: it sends the email
            return
    recent = PublicSubscription.objects.filter(council=council, email=email, confirmation_sent_at__gt=now - THROTTLE)
    if recent.exists():
        return
    subscription.confirmation_sent_at = now
    _reason(subscription, "Confirmation email sent")
    subscription.save()
    if subscription.confirmed_at is None:
        lines = [
            f"You asked to be emailed when {council.name} publishes the {_what(subscription)}.",
            f"Confirm your subscription: {_url('public:subscribe-confirm', subscription)}",
            "If you did not ask for this, ignore this email: you will not be sent anything else.",
        ]
        subject = f"Confirm your email alerts from {council.name}"
    else:
        lines = [
            f"You asked again to be emailed when {council.name} publishes the {_what(subscription)}.",
            "You are already subscribed: there is nothing more to do.",
        ]
        subject = f"Your email alerts from {council.name}"
    transaction.on_commit(lambda: _send(subscription, subject=subject, lines=lines))


def pending(token: str, slug: str):
    """The unconfirmed subscription with this token, for a live council (None: unknown, used or unsubscribed)."""
    return PublicSubscription.objects.filter(
        token=token, council__slug=slug, confirmed_at__isnull=True, unsubscribed_at__isnull=True
    ).first()


def current(token: str, slug: str):
    """The subscription with this token that has not been unsubscribed (None: unknown or unsubscribed)."""
    return PublicSubscription.objects.filter(token=token, council__slug=slug, unsubscribed_at__isnull=True).first()


@transaction.atomic
def subscription_confirm(*, subscription: PublicSubscription) -> PublicSubscription:
    subscription.confirmed_at = timezone.now()
    _reason(subscription, "Confirmed by following the emailed link")
    subscription.save()
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, subscription: PublicSubscription) -> PublicSubscription:
    subscription.unsubscribed_at = timezone.now()
    _reason(subscription, "Unsubscribed by following the emailed link")
    subscription.save()
    return subscription


# --- Papers published ---------------------------------------------------------------------------------------------


def papers_published(meeting_pk: int, document_pks: list[int], subject_key: str) -> None:
    """The listener (called once the publication commits): the emails go from a task."""
    from .tasks import send_papers_published

    send_papers_published.delay(meeting_pk, list(document_pks), subject_key)


def subscribers(meeting: Meeting):
    """Confirmed, not unsubscribed subscriptions to the meeting's council, of every body or of the meeting's."""
    return PublicSubscription.objects.filter(
        Q(body_kind="") | Q(body_kind=meeting.body_kind),
        council=meeting.council,
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=True,
    ).select_related("council")


def send_papers_published(meeting_pk: int, document_pks: list[int], subject_key: str) -> int:
    """Email each subscriber once of the papers published, if the public may read the meeting and any of them.

    What is named is what the public pages show: a meeting the public cannot see, or a batch of papers none of
    which is public (an exempt paper, a paper on an exempt item), sends nothing at all. Safe to rerun: a
    ``PublicAlertSent`` row per subscription and publication.
    """
    meeting = Meeting.objects.select_related("council").filter(pk=meeting_pk).first()
    if meeting is None or not public_meetings(meeting.council).filter(pk=meeting.pk).exists():
        return 0
    titles = list(
        public_papers(meeting.council)
        .filter(pk__in=document_pks, agenda_item__meeting=meeting)
        .order_by("agenda_item__order", "pk")
        .values_list("title", flat=True)
    )
    if not titles:
        return 0
    page = absolute_url(reverse("public:meeting-detail", kwargs={"slug": meeting.council.slug, "pk": meeting.pk}))
    named = [f"- {t}" for t in titles[:NAMED_PAPERS]]
    if len(titles) > NAMED_PAPERS:
        named.append(f"- and {len(titles) - NAMED_PAPERS} more")
    noun = "Paper" if len(titles) == 1 else "Papers"
    subject = f"{noun} published: {meeting.title}, {meeting.date:%-d %B %Y}"
    lines = [
        f"{meeting.council.name} has published {'a paper' if len(titles) == 1 else 'papers'} for {meeting.title}, "
        f"{meeting.get_body_kind_display()}, on {meeting.date:%-d %B %Y}:",
        "\n".join(named),
        f"Read them on the meeting's page: {page}",
    ]
    sent = 0
    for subscription in subscribers(meeting):
        try:
            with transaction.atomic():
                PublicAlertSent.objects.create(subscription=subscription, subject_key=subject_key[:120])
                _send(subscription, subject=subject, lines=lines)
        except IntegrityError:  # sent already (a rerun)
            continue
        sent += 1
    return sent
