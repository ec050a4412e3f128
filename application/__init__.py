"""The eventsourcing application: one method per command, authority checks, persistence."""

from application.hub import PartnershipHub

__all__ = ["PartnershipHub"]
