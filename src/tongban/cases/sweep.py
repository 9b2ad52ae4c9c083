"""The deadline sweep: acceptance by operation of law, then the due-soon and overdue flags.

Runs periodically (the ``sweep_deadlines`` task, or ``tongban cases sweep`` from cron). Work is
done in batches in id order; each batch locks its rows with ``SKIP LOCKED`` on PostgreSQL so a
sweep never waits for, nor overwrites, a reviewer working on a case — a skipped case is caught
by the next sweep. Only cases whose flag must change are read, so a sweep over a million quiet
cases reads almost nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import structlog
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import deadlines
from .constants import CLOCK_RUNNING, CaseAction, CaseStatus, DeadlineFlag
from .lifecycle import deem_accepted, record_event
from .models import Case

log = structlog.get_logger("tongban.cases")
BATCH_SIZE = 500


@dataclass
class SweepReport:
    today: dt.date
    deemed_accepted: list[str] = field(default_factory=list)
    flagged: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "deemed_accepted": self.deemed_accepted,
            "flagged": self.flagged,
        }


def _deem_acceptances(today: dt.date, report: SweepReport, batch_size: int) -> None:
    # Five working days always span more than five calendar days: a cheap superset first.
    horizon = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=5), dt.time.min))
    last_id = 0
    while True:
        batch = list(
            Case.objects.filter(
                status=CaseStatus.SUBMITTED, materials_complete_at__lt=horizon, pk__gt=last_id
            )
            .order_by("pk")
            .values_list("pk", "number", "materials_complete_at")[:batch_size]
        )
        for pk, number, arrived in batch:
            last_id = pk
            due = deadlines.deemed_acceptance_due(timezone.localdate(arrived), today)
            if due and deem_accepted(number) is not None:
                report.deemed_accepted.append(number)
        if len(batch) < batch_size:
            return


def _flag_mismatch(today: dt.date) -> Q:
    boundary = deadlines.soon_boundary(today)
    overdue = Q(statutory_due__lt=today) | Q(promised_due__lt=today)
    soon = Q(statutory_due__lte=boundary) | Q(promised_due__lte=boundary)
    return (
        (overdue & ~Q(deadline_flag=DeadlineFlag.OVERDUE))
        | (~overdue & soon & ~Q(deadline_flag=DeadlineFlag.DUE_SOON))
        | (~overdue & ~soon & ~Q(deadline_flag=DeadlineFlag.ON_TIME))
    )


def _update_flags(today: dt.date, report: SweepReport, batch_size: int) -> None:
    candidates = Case.objects.filter(
        _flag_mismatch(today), status__in=CLOCK_RUNNING, paused_since__isnull=True
    )
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                candidates.select_for_update(skip_locked=True)
                .filter(pk__gt=last_id)
                .order_by("pk")[:batch_size]
            )
            for case in batch:
                last_id = case.pk
                flag = deadlines.flag_for(case.statutory_due, case.promised_due, today)
                if flag == case.deadline_flag:
                    continue
                before, case.deadline_flag = case.deadline_flag, flag
                case.save(update_fields=["deadline_flag", "updated_at"])
                record_event(
                    case,
                    CaseAction.FLAG,
                    None,
                    from_status=case.status,
                    to_status=case.status,
                    data={"flag_before": before, "flag": flag},
                    audit_verb="flagged",
                    notify=flag != DeadlineFlag.ON_TIME,
                )
                report.flagged[flag] = report.flagged.get(flag, 0) + 1
        if len(batch) < batch_size:
            return


def sweep(today: dt.date | None = None, *, batch_size: int = BATCH_SIZE) -> SweepReport:
    today = today or timezone.localdate()
    report = SweepReport(today)
    _deem_acceptances(today, report, batch_size)
    _update_flags(today, report, batch_size)
    log.info("case_sweep_done", **report.as_dict())
    return report
