"""Members of a body and the service-user share of a consultative group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.vocabulary import MIN_SERVICE_USER_SHARE, SERVICE_USER_SIDE, MemberRole, Representation


@dataclass
class Membership:
    member_id: str
    person: str
    position: str
    role: MemberRole
    representation: Representation
    votes: bool
    joined_on: date
    left_on: date | None = None


@dataclass(frozen=True)
class ServiceUserShare:
    """Rule B3: the share of members who are service users, carers or the community.

    The base is every current member except council officers, who support the
    group rather than belong to it (the catalogue's AMB-5 leaves the base open).
    """

    user_side: int
    counted: int

    @property
    def share(self) -> float | None:
        return self.user_side / self.counted if self.counted else None

    @property
    def meets_target(self) -> bool:
        return self.share is not None and self.share >= MIN_SERVICE_USER_SHARE

    @property
    def percent(self) -> str:
        return "no members" if self.share is None else f"{self.share:.0%}"

    def warning(self) -> str | None:
        """A warning, never a block: the 70% is an aim, not a bar to joining."""
        if self.meets_target:
            return None
        return (
            f"service users, carers and community members are {self.percent} of members "
            f"({self.user_side} of {self.counted}); the aim is at least {MIN_SERVICE_USER_SHARE:.0%}"
        )


def service_user_share(members: list[Membership]) -> ServiceUserShare:
    counted = [m for m in members if m.role is not MemberRole.OFFICER]
    return ServiceUserShare(
        user_side=sum(1 for m in counted if m.representation in SERVICE_USER_SIDE),
        counted=len(counted),
    )
