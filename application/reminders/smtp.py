"""The mail server: settings from the environment, the message a reminder becomes, and one connection.

Uses the standard library's smtplib. Errors are sorted into three kinds, because the sender does a
different thing for each: the server is unreachable or unwell (stop for now, back off, try again),
this one message was put off (4xx: try it again later), or refused for good (5xx: stop trying and
say so in the app).
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from domain.reminder import Reminder

HOST_VAR = "PARTNERSHIP_HUB_SMTP_HOST"
PORT_VAR = "PARTNERSHIP_HUB_SMTP_PORT"
FROM_VAR = "PARTNERSHIP_HUB_SMTP_FROM"
USERNAME_VAR = "PARTNERSHIP_HUB_SMTP_USERNAME"
PASSWORD_VAR = "PARTNERSHIP_HUB_SMTP_PASSWORD"
STARTTLS_VAR = "PARTNERSHIP_HUB_SMTP_STARTTLS"
TIMEOUT_VAR = "PARTNERSHIP_HUB_SMTP_TIMEOUT"
BASE_URL_VAR = "PARTNERSHIP_HUB_BASE_URL"
MESSAGE_ID_DOMAIN = "reminders.partnership-hub"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "Partnership Hub <reminders@partnership-hub.localhost>"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0
    # Where the hub is served, for the link in each message; left out when not set.
    base_url: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        env = os.environ if environ is None else environ
        default = cls()
        return cls(
            host=env.get(HOST_VAR) or default.host,
            port=int(env.get(PORT_VAR) or default.port),
            sender=env.get(FROM_VAR) or default.sender,
            username=env.get(USERNAME_VAR) or None,
            password=env.get(PASSWORD_VAR) or None,
            starttls=(env.get(STARTTLS_VAR) or "").lower() in ("1", "true", "yes"),
            timeout=float(env.get(TIMEOUT_VAR) or default.timeout),
            base_url=(env.get(BASE_URL_VAR) or "").rstrip("/"),
        )


class ServerUnavailable(Exception):
    """The server could not be reached or will not talk now: try every message later."""


class MessageDeferred(Exception):
    """The server put this message off (a 4xx reply): try it again later."""


class MessageRefused(Exception):
    """The server refused this message for good (a 5xx reply)."""


def message_id(reminder: Reminder) -> str:
    """The same Message-ID every time, so a mail client could spot the rare resend after a crash."""
    return f"<{reminder.id}@{MESSAGE_ID_DOMAIN}>"


def build_message(reminder: Reminder, *, name: str, settings: SmtpSettings, now: datetime) -> EmailMessage:
    assert reminder.email_to is not None
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = formataddr((name, reminder.email_to))
    message["Subject"] = f"Reminder: {reminder.rule.label}: {reminder.subject_name}"
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(reminder)
    message["X-Partnership-Hub-Reminder"] = str(reminder.id)
    link = f"{settings.base_url}/reminders" if settings.base_url else "the Reminders page of Partnership Hub"
    preferences = (
        f"{settings.base_url}/reminders/preferences" if settings.base_url else "your reminder preferences there"
    )
    message.set_content(
        f"{reminder.title}\n\n"
        f"Due: {reminder.due_date:%A %-d %B %Y}\n\n"
        f"When it is dealt with, mark it done on {link}.\n"
        f"To change how early you are told, or to stop these e-mails, see {preferences}.\n"
    )
    return message


class Connection:
    """One SMTP session, opened on first use; every failure comes out as one of the three errors above."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                smtp = smtplib.SMTP(self.settings.host, self.settings.port, timeout=self.settings.timeout)
                if self.settings.starttls:
                    smtp.starttls()
                if self.settings.username:
                    smtp.login(self.settings.username, self.settings.password or "")
            except (OSError, smtplib.SMTPException) as error:
                raise ServerUnavailable(f"cannot reach {self.settings.host}:{self.settings.port}: {error}") from error
            self._smtp = smtp
        return self._smtp

    def send(self, message: EmailMessage) -> None:
        """Returns only once the server has accepted the message (its reply to DATA was 250)."""
        smtp = self._open()
        try:
            smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            self._raise_for(code, text)
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            self._raise_for(error.smtp_code, error.smtp_error)
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise ServerUnavailable(
                f"the connection to {self.settings.host}:{self.settings.port} failed: {error}"
            ) from error

    def _raise_for(self, code: int, text: bytes | str) -> None:
        reply = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        if code == 421:  # the server is closing the session: nothing more will go on it
            self.close()
            raise ServerUnavailable(f"{code} {reply}")
        if 400 <= code < 500:
            raise MessageDeferred(f"{code} {reply}")
        raise MessageRefused(f"{code} {reply}")

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
