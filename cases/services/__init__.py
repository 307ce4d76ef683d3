"""Every write to cases (being split by sub-domain)."""

from cases.services.concerns import *  # noqa: F403
from cases.services.concerns import SHARE_CRITERIA  # noqa: F401
