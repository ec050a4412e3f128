"""The e-mails to the virtual panel's members (rule A4): invitation, closing reminder, outcome, confirmation.

Each is a ``Reminder`` addressed ``panel:<id>`` (domain/reminder.py). The address and name are looked up
here, as the message is written, from the panel's people (application/panel_people.py), and the
person's own links are signed now (application/panel_links.py): no event holds either. Every message
carries the link to leave the panel (not the confirmation, which is sent before they are on it).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from uuid import UUID

from application.panel_links import PanelLinks
from application.panel_people import PanelPerson
from application.reminders.smtp import SmtpSettings, message_id
from domain.reminder import Reminder, Rule


def _url(settings: SmtpSettings, path: str) -> str:
    return f"{settings.base_url}{path}"


def build_panel_message(
    reminder: Reminder, person: PanelPerson, *, links: PanelLinks, settings: SmtpSettings, now: datetime
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = formataddr((person.name, person.email))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(reminder)
    message["X-Partnership-Hub-Reminder"] = str(reminder.id)
    member = person.panel_member_id
    leave = _url(settings, f"/panel/leave/{links.make('leave', member)}")
    title = reminder.subject_name
    closes = f"{reminder.due_date:%A %-d %B %Y}"
    if reminder.rule is Rule.PANEL_CONFIRMATION:
        message["Subject"] = "Confirm your place on the virtual service user panel"
        confirm = _url(settings, f"/panel/confirm/{links.make('confirm', member)}")
        body = (
            f"Dear {person.name},\n\nThank you for joining the council's virtual service user panel.\n\n"
            f"To confirm your e-mail address, open this link within 14 days:\n{confirm}\n\n"
            "If you did not ask to join, ignore this e-mail: we will not contact you again.\n"
        )
        message.set_content(body)
        return message
    respond = _url(settings, f"/respond/{links.make('respond', member, UUID(reminder.subject_id))}")
    public = _url(settings, f"/public/consultations/{reminder.subject_id}")
    if reminder.rule is Rule.CONSULTATION_INVITATION:
        message["Subject"] = f"Your views are wanted: {title}"
        lead = (
            f"The council would like your views on: {title}.\n\n"
            f"Respond by the end of {closes} with your own link (do not share it: it answers as you):\n{respond}\n\n"
            "You can save your answers and come back to them with the same link."
        )
    elif reminder.rule is Rule.CONSULTATION_CLOSING:
        message["Subject"] = f"Closes {reminder.due_date:%-d %B}: {title}"
        lead = (
            f'The consultation "{title}" closes at the end of {closes}, and we have not yet had your response.\n\n'
            f"Your link:\n{respond}"
        )
    else:
        message["Subject"] = f"You said, we did: {title}"
        lead = f'Thank you for responding to "{title}". What came of it, with the results, is here:\n{public}'
    message.set_content(
        f"Dear {person.name},\n\n{lead}\n\n"
        f"You are receiving this because you are on the virtual service user panel.\n"
        f"To leave the panel and stop all e-mails from it: {leave}\n"
    )
    return message
