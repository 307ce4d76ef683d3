"""`manage.py demo_code` (`make demo-code`): the demo logins' current two-factor code."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.demo.two_factor import demo_totp_code


class Command(BaseCommand):
    help = "Print the demo logins' current two-factor code (development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_code refuses to run when SSP_ENVIRONMENT is production.")
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{demo_totp_code()}  (valid for {left} more seconds; then run again)")
