"""Every write to meetings (being split by sub-domain)."""

from meetings.services.meetings import *  # noqa: F403
