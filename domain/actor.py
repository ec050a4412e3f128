"""Who did something: every event records the actor and the role they acted in (rule F4)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: str
    name: str = ""

    def event_fields(self) -> dict[str, str]:
        return {"actor": self.user_id, "actor_role": self.role}
