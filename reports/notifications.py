"""The statistics' figure for Barnets lov follow-through: of the concerns in the period whose
reporter said a notification will be sent, how many are recorded as sent, how many are past
their due date without a record, and how many are still within it.

The three parts add up to the total shown beside them, so they go through
`suppression.breakdown` (primary and secondary suppression); the total is a figure of its own.
One aggregate query, over the concerns the reader's scope allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import NotificationTask
from reports import suppression

if TYPE_CHECKING:
    from reports.figures import Filters, Scope, Table


def notification_followthrough(scope: Scope, filters: Filters) -> Table:
    # The figures module lists this figure; it is imported when the figure is made.
    from reports.figures import Row, Table

    today = timezone.localdate()
    counts = NotificationTask.objects.filter(
        concern__in=scope.concerns(filters).values("pk")
    ).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(recorded_at__isnull=False)),
        overdue=Count("pk", filter=Q(recorded_at__isnull=True, due_on__lt=today)),
    )
    pending = counts["total"] - counts["sent"] - counts["overdue"]
    labels = [
        _("Registreret som sendt"),
        _("Over frist, ikke registreret"),
        _("Endnu inden for fristen"),
    ]
    cells = suppression.breakdown([counts["sent"], counts["overdue"], pending])
    rows = [Row(_("Underretning bliver sendt (i alt)"), [suppression.cell(counts["total"])])]
    rows += [Row(label, [cell]) for label, cell in zip(labels, cells, strict=True)]
    return Table(
        key="notification_followthrough",
        title=_("Underretninger efter barnets lov, der skulle sendes"),
        columns=[_("Bekymringer")],
        rows=rows,
        chart=None,
        note=_(
            "Bekymringer i perioden, hvor indberetteren svarede, at der bliver sendt en "
            "underretning. Systemet sender ikke selv underretninger; det registrerer, at de er "
            "sendt."
        ),
        totals={"will_be_sent": counts["total"], "sent": counts["sent"]},
    )
