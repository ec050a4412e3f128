"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it accepts, and can be stopped and started."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.ports import free_port


@dataclass
class Received:
    envelope_to: list[str]
    message: EmailMessage

    @property
    def reminder_id(self) -> str:
        return str(self.message["X-Partnership-Hub-Reminder"])


@dataclass
class _Handler:
    sink: SmtpSink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        for marker, reply in self.sink.refuse.items():
            if marker in address:
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            received = Received(list(envelope.rcpt_tos), message)  # type: ignore[arg-type]
            self.sink.received.append(received)
        if self.sink.on_accept is not None:
            self.sink.on_accept(received)  # before the 250 reply reaches the sender
        return "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    # Address fragment -> SMTP reply, e.g. {"bounce": "550 No such mailbox"}.
    refuse: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Called with each message as it is accepted, before the sender hears so: something that happens meanwhile.
    on_accept: Callable[[Received], None] | None = None
    _controller: Controller | None = None

    def start(self) -> SmtpSink:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def reminder_ids(self) -> list[str]:
        with self.lock:
            return [r.reminder_id for r in self.received]
