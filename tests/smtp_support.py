"""A real SMTP server for tests: aiosmtpd on loopback, recording what it accepted."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from outreach.capture import free_port
from outreach.smtp import SmtpSettings


@dataclass
class Received:
    rcpt: str
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None
        return str(body.get_content())


@dataclass
class RecordingHandler:
    """Accepts mail; ``refuse`` maps an address to an RCPT reply such as ``550 5.1.1 ...``."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        for rcpt in envelope.rcpt_tos:
            self.received.append(Received(rcpt, envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if r.rcpt == address]


@dataclass
class SmtpServer:
    handler: RecordingHandler
    controller: Controller

    @property
    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            host="127.0.0.1", port=self.controller.port, sender="Tests <outreach@example.org>"
        )

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}?from=outreach@example.org"


@pytest.fixture(name="smtp")
def smtp_fixture() -> Iterator[SmtpServer]:
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(handler, controller)
    finally:
        controller.stop()
