"""Models of the cases app (being split by sub-domain)."""

from cases.models.concerns import *  # noqa: F403
