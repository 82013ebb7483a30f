"""Báo cáo: the monthly broadcast log per hamlet (table, minutes-on-air charts, CSV and PDF
exports) and the audit log (who did what, when) for leaders and administrators.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from controller.api import context
from controller.auth.gate import requires
from controller.auth.roles import allowed
from controller.db.models import Zone
from controller.reports import audit_text, audit_trail
from controller.reports.chart import bar_chart_svg, format_number
from controller.reports.monthly import (
    REPORT_YEARS,
    MonthReport,
    Period,
    load_month,
    parse_period,
)
from controller.reports.pdf import render_month_pdf
from controller.reports.records import format_duration
from controller.web.ui_text import TEXT, t

bp = Blueprint("report_pages", __name__)
DETAIL_MAX = 200


def _tz() -> ZoneInfo:
    return ZoneInfo(context.config().site.timezone)


def t_or(key: str, fallback: str) -> str:
    """``t(key)`` when the key exists, else ``fallback`` (never shows a raw key)."""
    return t(key) if key in TEXT else fallback


def category_label(category: str) -> str:
    return t_or(f"rep_cat_{category}", category) if category else t("rep_cat_none")


def _zones() -> list[Zone]:
    query = select(Zone).where(Zone.site_id == context.site_id()).order_by(Zone.id)
    return list(context.session().scalars(query))


def _requested_report() -> MonthReport:
    tz = _tz()
    period = parse_period(
        request.args.get("year"), request.args.get("month"), datetime.now(tz).date()
    )
    zone_ids = {z.id for z in _zones()}
    zone = request.args.get("zone") or None
    return load_month(
        context.session(), context.site_id(), period, tz, zone if zone in zone_ids else None
    )


def _filters(report: MonthReport) -> dict[str, Any]:
    args: dict[str, Any] = {"year": report.period.year, "month": report.period.month}
    if report.zone_id:
        args["zone"] = report.zone_id
    return args


def _csv_url(report: MonthReport) -> str:
    last_day = report.period.next_first_day - timedelta(days=1)
    args = {
        "format": "csv",
        "from": report.period.first_day.isoformat(),
        "to": last_day.isoformat(),
    }
    if report.zone_id:
        args["zone"] = report.zone_id
    return url_for("plays.list_plays", **args)


@bp.get("/reports")
def reports():  # type: ignore[no-untyped-def]
    report = _requested_report()
    zone_label = context.config().site.zone_label
    unit = t("rep_minutes")
    charts = {
        "zone": Markup(
            bar_chart_svg(
                report.by_zone,
                title=t("rep_chart_zone").format(zone=zone_label.lower()),
                unit=unit,
                empty=t("rep_no_data"),
            )
        ),
        "category": Markup(
            bar_chart_svg(
                [(category_label(c), v) for c, v in report.by_category],
                title=t("rep_chart_category"),
                unit=unit,
                empty=t("rep_no_data"),
                color="#1f5fa8",
            )
        ),
    }
    return render_template(
        "reports.html",
        report=report,
        zones=_zones(),
        charts=charts,
        csv_url=_csv_url(report),
        pdf_url=url_for("report_pages.report_pdf", **_filters(report)),
        total_minutes=format_number(report.total_minutes),
        category_label=category_label,
        duration=format_duration,
        years=range(datetime.now(_tz()).year, 2019, -1),
        show_audit=allowed(current_user.role, "approve"),
    )


@bp.get("/reports/pdf")
def report_pdf():  # type: ignore[no-untyped-def]
    report = _requested_report()
    cfg = context.config()
    body = render_month_pdf(
        report,
        site_name=cfg.site.name,
        zone_label=cfg.site.zone_label,
        label=lambda key: TEXT.get(key, (key,))[0],  # an official record: always Vietnamese
        today=datetime.now(_tz()).date(),
    )
    name = f"nhat-ky-phat-thanh-{report.period.year}-{report.period.month:02d}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- audit log -------------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    """A day typed as dd/mm/yyyy (or yyyy-mm-dd); None when empty or not a real day."""
    if not value:
        return None
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(value.strip(), form).date()
        except ValueError:
            continue
        return day if day.year in REPORT_YEARS else None  # 9999-12-31 + 1 day overflows
    return None


@bp.get("/reports/audit")
@requires("admin", read="approve")
def audit():  # type: ignore[no-untyped-def]
    tz = _tz()
    args = request.args
    since, until = _day(args.get("from")), _day(args.get("to"))
    bad_date = any(args.get(k) and _day(args.get(k)) is None for k in ("from", "to"))
    filt = audit_trail.AuditFilter(
        username=args.get("user") or None,
        action=args.get("action") or None,
        since=datetime.combine(since, time(0), tzinfo=tz) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(0), tzinfo=tz) if until else None,
    )
    sess, site = context.session(), context.site_id()
    entries = audit_trail.find_entries(sess, site, filt)
    return render_template(
        "report_audit.html",
        entries=[_audit_row(e) for e in entries],
        users=audit_trail.usernames(sess, site),
        actions=[(a, t_or(f"rep_obj_{a}", a)) for a in audit_trail.actions(sess, site)],
        args=args,
        bad_date=bad_date,
        show_audit=True,
    )


def _audit_row(entry: Any) -> dict[str, Any]:
    detail = audit_text.detail_text(entry.detail, t_or, _tz())
    return {
        "at": entry.at,
        "username": entry.username,
        "action": audit_text.action_label(entry.action, t_or),
        "target": audit_text.target_text(entry.target_type, str(entry.target_id or ""), t_or),
        "detail": (detail if len(detail) <= DETAIL_MAX else detail[: DETAIL_MAX - 1] + "…") or "—",
    }


__all__ = ["Period", "bp", "category_label"]
