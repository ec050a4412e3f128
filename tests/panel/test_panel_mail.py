"""Rule A4 through the real mail outbox and an SMTP server: each invitation carries the person's own link
and the link to leave; leaving stops mail already waiting; nobody's address is in an event."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from application.bootstrap import Services
from application.panel_links import PanelLinks
from application.reminders.outbox import Backoff, MailSender
from application.reminders.smtp import SmtpSettings
from tests.panel.conftest import OFFICER
from tests.panel.test_consultation_flow import add_member, drafted
from tests.reminders.smtp_sink import SmtpSink

LINKS = PanelLinks("a test key")


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def sender(services: Services, smtp: SmtpSink) -> MailSender:
    settings = SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5.0, base_url="https://hub.example")
    return MailSender(services.hub, services.read_models, services.users, settings,
                      backoff=Backoff(first=timedelta(seconds=1)), links=LINKS)  # fmt: skip


def test_invitations_carry_each_persons_links_and_leaving_stops_waiting_mail(
    services: Services, smtp: SmtpSink
) -> None:
    alice = add_member(services, "Alice Example", "alice@example.org")
    bob = add_member(services, "Bob Example", "bob@example.org")
    cid = services.dispatcher.run("publish_consultation", OFFICER, subject_id=drafted(services)).subject_id
    services.hub.leave_panel(bob)  # after the invitation was raised, before it went
    report = sender(services, smtp).send_due()
    assert (report.sent, report.withdrawn) == (1, 1)
    [received] = smtp.received
    assert received.envelope_to == ["alice@example.org"]
    body = received.message.get_body(preferencelist=("plain",)).get_content()
    respond = re.search(r"https://hub\.example/respond/(\S+)", body).group(1)
    link = LINKS.read(respond, "respond")
    assert (link.panel_member_id, link.consultation_id) == (alice, cid)
    leave = re.search(r"https://hub\.example/panel/leave/(\S+)", body).group(1)
    assert LINKS.read(leave, "leave").panel_member_id == alice

    # No event holds an address or a name.
    table = services.hub.recorder.events_table
    with services.hub.recorder.datastore.engine.connect() as connection:
        states = [bytes(state).decode() for state in connection.scalars(select(table.c.state))]
    stored = " ".join(states)
    assert str(alice) in stored  # the events are readable JSON, and know the person by their id only
    for private in ("alice@example.org", "bob@example.org", "Alice Example"):
        assert private not in stored
