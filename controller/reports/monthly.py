"""A month of the broadcast log for one commune (optionally one hamlet), read from the database."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from controller.db.models import Node, PlayEvent, Zone
from controller.reports.records import PlayRecord, airtime_minutes_by, fold_events


@dataclass(frozen=True)
class Period:
    """A calendar month in the commune's time zone."""

    year: int
    month: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.first_day, time(0), tzinfo=tz),
            datetime.combine(self.next_first_day, time(0), tzinfo=tz),
        )


@dataclass
class MonthReport:
    period: Period
    zone_id: str | None
    records: list[PlayRecord]
    zone_names: dict[str, str]
    node_names: dict[str, str]
    tz: ZoneInfo
    by_zone: list[tuple[str, float]] = field(default_factory=list)
    by_category: list[tuple[str, float]] = field(default_factory=list)

    @property
    def total_minutes(self) -> float:
        """Airtime of the month: each item once, however many loudspeakers played it."""
        return sum(airtime_minutes_by(self.records, "item_id").values())

    @property
    def item_count(self) -> int:
        """How many broadcasts (items) the month's plays belong to."""
        return len({r.item_id for r in self.records})

    def zone_name(self, zone_id: str) -> str:
        return self.zone_names.get(zone_id, zone_id)

    def node_name(self, node_id: str) -> str:
        return self.node_names.get(node_id) or node_id


REPORT_YEARS = range(1900, 2200)


def parse_period(year: str | None, month: str | None, today: date) -> Period:
    """The requested month, or this month when absent or not a real month."""
    try:
        period = Period(int(year or today.year), int(month or today.month))
        period.first_day  # noqa: B018 - validates the month
        if period.year not in REPORT_YEARS:  # years 1 and 9999 overflow once in UTC
            raise ValueError(period.year)
        return period
    except (ValueError, OverflowError):  # OverflowError: a month beyond C int
        return Period(today.year, today.month)


def load_month(
    session: Session, site_id: str, period: Period, tz: ZoneInfo, zone_id: str | None = None
) -> MonthReport:
    """Every play of the month (one hamlet or all), with minutes per hamlet and per category.

    The records keep one line per loudspeaker; the minutes count each item once per hamlet and
    once per category (see ``records.airtime_minutes_by``).
    """
    lower, upper = period.bounds(tz)
    query = select(PlayEvent).where(
        PlayEvent.site_id == site_id, PlayEvent.at >= lower, PlayEvent.at < upper
    )
    if zone_id:
        query = query.where(PlayEvent.zone_id == zone_id)
    records = fold_events(session.scalars(query.order_by(PlayEvent.at, PlayEvent.id)))
    records = [_local(r, tz) for r in records]
    zones = dict(session.execute(select(Zone.id, Zone.name).where(Zone.site_id == site_id)).all())
    nodes = dict(session.execute(select(Node.id, Node.name).where(Node.site_id == site_id)).all())
    report = MonthReport(period, zone_id, records, zones, nodes, tz)
    report.by_zone = _ranked(
        {report.zone_name(k): v for k, v in airtime_minutes_by(records, "zone_id").items()}
    )
    report.by_category = _ranked(airtime_minutes_by(records, "category"))
    return report


def _local(record: PlayRecord, tz: ZoneInfo) -> PlayRecord:
    return replace(record, at=record.at.astimezone(tz))


def _ranked(totals: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
