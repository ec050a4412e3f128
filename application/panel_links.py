"""The signed links that let a panel member act without a password: respond, leave, confirm (rule A4).

Each link carries what it is for, the panel member's random id and (to respond) the consultation's, and
is signed with the service's secret key (itsdangerous), so changing any character makes it useless. It
expires: a response link after ``RESPOND_DAYS`` (longer than any consultation is open), a leave link
after a year. A link names one person: whoever holds it acts as them, which is why it is sent only to
their own address and why it carries no name or address of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from domain.errors import DomainError

RESPOND_DAYS = 120
LEAVE_DAYS = 366
CONFIRM_DAYS = 14


class LinkRefused(DomainError):
    """A link that was changed, has expired, or is for something else: the message says what to do."""


@dataclass(frozen=True)
class Link:
    purpose: str  # "respond", "leave" or "confirm"
    panel_member_id: UUID
    consultation_id: UUID | None = None


_LIFETIME = {
    "respond": timedelta(days=RESPOND_DAYS),
    "leave": timedelta(days=LEAVE_DAYS),
    "confirm": timedelta(days=CONFIRM_DAYS),
}


class PanelLinks:
    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="partnership-hub/panel-link")

    def make(self, purpose: str, panel_member_id: UUID, consultation_id: UUID | None = None) -> str:
        payload = [purpose, str(panel_member_id), str(consultation_id) if consultation_id else ""]
        return str(self._serializer.dumps(payload))

    def read(self, token: str, purpose: str) -> Link:
        """The link's meaning, or LinkRefused saying why it cannot be used."""
        if not token or len(token) > 500:
            raise LinkRefused("this link is not complete: copy the whole link from your e-mail")
        try:
            payload = self._serializer.loads(token, max_age=_LIFETIME[purpose].total_seconds())
        except SignatureExpired:
            raise LinkRefused(
                "this link has expired: ask the partnership team for a new one, or use the link in a newer e-mail"
            ) from None
        except BadSignature:
            raise LinkRefused(
                "this link is not valid: it may have been changed or cut short. Copy the whole link from your e-mail"
            ) from None
        try:
            kind, member, consultation = payload
            link = Link(kind, UUID(member), UUID(consultation) if consultation else None)
        except (TypeError, ValueError):
            raise LinkRefused("this link is not valid: copy the whole link from your e-mail") from None
        if link.purpose != purpose:
            raise LinkRefused("this link is for something else: use the link in your e-mail for this")
        return link
