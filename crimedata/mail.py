"""Sending the product's emails: each one once, recorded, saying why it was sent, with a signed unsubscribe link.

Every email goes through ``send_once``:

- it first claims a ``SentEmail`` row for (person, stream, key); the key names the event (a window's
  reminder for one closing date, a quarter's alerts). The row is unique, so a second run, or two runs at
  once, cannot send the same email twice. A failed send is marked and retried by the next run; a row
  left "sending" (the process died mid-send) is never retried, so nobody gets a duplicate;
- the message has a plain-text part and an HTML part, a ``List-Unsubscribe`` header with
  ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058: mail programs offer their own
  unsubscribe button, which POSTs to the link), and the same link in its footer.

Unsubscribe links are signed with ``django.core.signing`` (the site's SECRET_KEY), carry the person and the
stream, and need no sign-in. They do not expire: an old email's link must still work.

Streams: ``reminders`` (officers: figures still due), ``summaries`` (county analysts: a collection's
progress) and ``alerts`` (subscribers: the figures moved). Opting out of reminders and summaries is kept
here (``EmailOptOut``); unsubscribing from alerts removes the person's subscriptions (``assessments.alerts``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from crimedata.models import EmailOptOut, SentEmail

REMINDERS = EmailOptOut.STREAM_REMINDERS
SUMMARIES = EmailOptOut.STREAM_SUMMARIES
ALERTS = "alerts"
STREAMS = {
    REMINDERS: "reminders of figures still due in a collection",
    SUMMARIES: "summaries of a collection's progress",
    ALERTS: "alerts when the figures you follow move",
}

_SALT = "csp-portal.unsubscribe"

# What send_once did.
SENT = "sent"
ALREADY_SENT = "already sent"
FAILED = "failed"


# --- Links --------------------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    """A path on this site as a full address for an email (settings.SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(user, stream: str) -> str:
    if stream not in STREAMS:
        raise ValueError(f"unknown email stream {stream!r}")
    return signing.dumps({"u": user.pk, "n": user.get_username(), "s": stream}, salt=_SALT, compress=True)


def unsubscribe_url(user, stream: str) -> str:
    return absolute_url(reverse("unsubscribe", args=[unsubscribe_token(user, stream)]))


class BadUnsubscribeLink(Exception):
    """The link was changed or cut short: its signature does not match."""


class UnknownAccount(Exception):
    """The link was signed by this site, but its account no longer exists."""


def read_unsubscribe_token(token: str):
    """(user, stream) for a link's token.

    Raises BadUnsubscribeLink for a token that was tampered with or cut short, and UnknownAccount for
    one whose account has been deleted (or renamed and replaced: the username must match too).
    """
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise BadUnsubscribeLink() from None
    if not isinstance(data, dict) or data.get("s") not in STREAMS or not isinstance(data.get("u"), int):
        raise BadUnsubscribeLink()
    user = get_user_model().objects.filter(pk=data["u"], username=data.get("n")).first()
    if user is None:
        raise UnknownAccount()
    return user, data["s"]


# --- Opting out ------------------------------------------------------------------------------------------


def opted_out(user_ids: Iterable[int], stream: str) -> set[int]:
    """Which of these people opted out of ``stream`` (one query)."""
    return set(EmailOptOut.objects.filter(user_id__in=list(user_ids), stream=stream).values_list("user_id", flat=True))


def opt_out(user, stream: str) -> bool:
    """Stop ``stream`` for this person; False when they had already opted out."""
    _, created = EmailOptOut.objects.get_or_create(user=user, stream=stream)
    return created


def opt_in(user, stream: str) -> bool:
    """Start ``stream`` again; False when they had not opted out."""
    deleted, _ = EmailOptOut.objects.filter(user=user, stream=stream).delete()
    return bool(deleted)


# --- Sending ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingEmail:
    """One email to one person. ``template`` names templates/email/<template>.txt and .html, rendered with
    ``context`` plus ``unsubscribe_url``, ``stream_name``, ``manage_url`` and ``site_url``."""

    user: object
    stream: str
    key: str
    subject: str
    template: str
    context: dict

    def render(self) -> tuple[str, str, str]:
        """(plain text, HTML, unsubscribe URL)."""
        link = unsubscribe_url(self.user, self.stream)
        context = {
            **self.context,
            "subject": self.subject,
            "unsubscribe_url": link,
            "stream_name": STREAMS[self.stream],
            "manage_url": absolute_url(reverse("alert-subscriptions")),
            "site_url": settings.SITE_URL,
            "site_name": settings.SITE_NAME,
        }
        text = render_to_string(f"email/{self.template}.txt", context)
        html = render_to_string(f"email/{self.template}.html", context)
        return text, html, link


def _claim(email: OutgoingEmail, address: str, text: str) -> SentEmail | None:
    """The record this run may send under, or None when the email was sent (or is being sent) already."""
    fields = {"to_address": address, "subject": email.subject[:255], "body": text}
    try:
        with transaction.atomic():
            return SentEmail.objects.create(user=email.user, stream=email.stream, key=email.key, **fields)
    except IntegrityError:
        pass
    # Only a failed send may be taken over, and only by one run (the UPDATE is the lock).
    taken = SentEmail.objects.filter(
        user=email.user, stream=email.stream, key=email.key, status=SentEmail.STATUS_FAILED
    ).update(status=SentEmail.STATUS_SENDING, error="", **fields)
    if not taken:
        return None
    return SentEmail.objects.get(user=email.user, stream=email.stream, key=email.key)


def send_once(email: OutgoingEmail, *, connection=None) -> str:
    """Send ``email`` unless it was sent before: SENT, ALREADY_SENT or FAILED (recorded, retried next run)."""
    address = (getattr(email.user, "email", "") or "").strip()
    if not address:
        raise ValueError(f"{email.user} has no email address")
    text, html, link = email.render()
    record = _claim(email, address, text)
    if record is None:
        return ALREADY_SENT
    message = EmailMultiAlternatives(
        subject=email.subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 (any failure of the mail server is recorded and retried next run)
        SentEmail.objects.filter(pk=record.pk).update(status=SentEmail.STATUS_FAILED, error=f"{type(exc).__name__}: {exc}")
        return FAILED
    SentEmail.objects.filter(pk=record.pk).update(status=SentEmail.STATUS_SENT, sent_at=timezone.now())
    return SENT


def was_sent(user, stream: str, key: str) -> bool:
    """Whether this email was sent (or is being sent) already: what a dry run reports instead of sending,
    and how a run skips working out an email it will not send."""
    return SentEmail.objects.filter(user=user, stream=stream, key=key).exclude(status=SentEmail.STATUS_FAILED).exists()


@dataclass
class SendReport:
    """What a run did, for the command's output and a task's result (plain numbers and strings)."""

    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    would_send: int = 0
    notes: list[str] | None = None

    def count(self, outcome: str) -> None:
        if outcome == SENT:
            self.sent += 1
        elif outcome == ALREADY_SENT:
            self.already_sent += 1
        elif outcome == FAILED:
            self.failed += 1

    def note(self, text: str) -> None:
        self.notes = [*(self.notes or []), text]

    def as_dict(self) -> dict:
        return {"sent": self.sent, "already_sent": self.already_sent, "failed": self.failed,
                "would_send": self.would_send, "notes": list(self.notes or [])}

    def deliver(self, email: OutgoingEmail, *, dry_run: bool = False, connection=None) -> None:
        """Send ``email`` once (or, in a dry run, say whether it would be sent) and count the outcome."""
        if not dry_run:
            self.count(send_once(email, connection=connection))
        elif was_sent(email.user, email.stream, email.key):
            self.already_sent += 1
        else:
            self.would_send += 1
            self.note(f"Would send to {email.user.email}: {email.subject}")

    def summary(self, dry_run: bool) -> str:
        if dry_run:
            return (f"{self.would_send} email{'s' if self.would_send != 1 else ''} would be sent, "
                    f"{self.already_sent} already sent before (dry run: nothing sent).")
        return (f"{self.sent} sent, {self.already_sent} already sent before (not sent again), "
                f"{self.failed} failed (will be retried on the next run).")
