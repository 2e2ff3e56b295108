"""A real SMTP server on 127.0.0.1 for the email tests (aiosmtpd), and what arrived at it.

``smtp_server`` starts one on a free port for the test, points Django's SMTP backend at it, and gives
an ``Inbox`` of the messages it received, parsed with the standard library's email parser (so the test
sees exactly what a mail program would: headers, the plain-text part and the HTML part).
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    to: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        # Lines travel as CRLF over SMTP.
        return self.message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")

    def header(self, name: str) -> str | None:
        value = self.message[name]
        # A long header is folded onto a continuation line; what a mail program reads is the unfolded value.
        return None if value is None else " ".join(str(value).split())


class _Handler:
    def __init__(self) -> None:
        self.received: list[Received] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.received.append(Received(mail_from=envelope.mail_from, to=list(envelope.rcpt_tos), message=parsed))
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's controller on a port the system picks (port 0), so parallel runs never collide."""

    def _create_server(self):
        return self._bind()

    async def _bind(self):
        server = await self.loop.create_server(self._factory_invoker, host=self.hostname, port=0)
        self.port = server.sockets[0].getsockname()[1]
        return server


class Inbox:
    def __init__(self, handler: _Handler, port: int) -> None:
        self._handler = handler
        self.port = port

    @property
    def messages(self) -> list[Received]:
        return list(self._handler.received)

    def to(self, address: str) -> list[Received]:
        return [m for m in self._handler.received if address in m.to]

    def clear(self) -> None:
        self._handler.received.clear()


@pytest.fixture
def smtp_server(settings):
    handler = _Handler()
    controller = _Controller(handler, hostname="127.0.0.1")
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.SITE_URL = "https://csp.example.gov.uk"
    settings.DEFAULT_FROM_EMAIL = "CSP Portal <no-reply@csp.example.gov.uk>"
    try:
        yield Inbox(handler, controller.port)
    finally:
        controller.stop()
