"""GET /api/v1/plays: the broadcast log with filters, cursor pages, and an Excel-ready CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from controller.db.models import PlayEvent
from tests.controller.dispatch.commune import SITE, seed_commune

pytestmark = pytest.mark.postgres
T0 = datetime(2027, 1, 27, 23, 0, tzinfo=UTC)  # 06:00 on 28/01/2027 in Vietnam


@pytest.fixture
def log(database):  # type: ignore[no-untyped-def]
    seed_commune(database)
    with database.session() as s:
        for i in range(6):
            node = ("thon-1-a", "thon-2-a")[i % 2]
            s.add(
                PlayEvent(
                    site_id=SITE,
                    node_id=node,
                    zone_id=node[:6],
                    item_id=f"p{i}",
                    type="started" if i < 5 else "failed",
                    at=T0 + timedelta(hours=i),
                    title=f"Bản tin {i}",
                    category="news",
                    duration_ms=61000,
                    detail={"reason": "hết hạn"} if i == 5 else {},
                )
            )
        s.add(
            PlayEvent(
                site_id="xa-khac",
                node_id="x",
                zone_id="x",
                item_id="o",
                type="started",
                at=T0,
                title="other commune",
            )
        )


def test_list_newest_first_with_fields(api_as, log) -> None:  # type: ignore[no-untyped-def]
    r = api_as("viewer").get("/api/v1/plays")
    assert r.status_code == 200
    items = r.json["items"]
    assert [i["item"] for i in items] == ["p5", "p4", "p3", "p2", "p1", "p0"]
    first = items[-1]
    assert first["node"] == "thon-1-a" and first["zone"] == "thon-1" and first["type"] == "started"
    assert first["at"] == "2027-01-28T06:00:00+07:00" and first["title"] == "Bản tin 0"
    assert r.json["next"] is None


def test_filters(admin_api, log) -> None:  # type: ignore[no-untyped-def]
    def items(query: str) -> list[str]:
        r = admin_api.get(f"/api/v1/plays?{query}")
        assert r.status_code == 200, r.json
        return [i["item"] for i in r.json["items"]]

    assert items("node=thon-2-a") == ["p5", "p3", "p1"]
    assert items("zone=thon-1") == ["p4", "p2", "p0"]
    assert items("type=failed") == ["p5"]
    assert items("from=2027-01-28T08:00:00%2B07:00&to=2027-01-28T10:00:00%2B07:00") == ["p3", "p2"]
    assert items("from=2027-01-28T01:00:00Z") == ["p5", "p4", "p3", "p2"]
    assert items("from=2027-01-28&to=2027-01-28") == ["p5", "p4", "p3", "p2", "p1", "p0"]
    assert items("to=2027-01-27") == []


BAD_FILTERS = [
    ("from=hôm-qua", "from"),
    ("from=2027-01-28T06:00:00", "from"),  # no offset: ambiguous, refused
    ("to=2027-13-01", "to"),
    ("from=2027-01-29&to=2027-01-28", "'to'"),
    ("limit=0", "limit"),
    ("limit=10001", "limit"),
    ("before=!!!", "before"),
    ("type=exploded", "type"),
    ("format=xml", "format"),
]


def test_bad_filters_are_clear_422s(admin_api, log) -> None:  # type: ignore[no-untyped-def]
    for query, word in BAD_FILTERS:
        r = admin_api.get(f"/api/v1/plays?{query}")
        assert r.status_code == 422 and r.json["error"]["code"] == "validation", query
        assert word in r.json["error"]["message"], query


def test_cursor_pages_cover_everything_once(admin_api, log) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    url = "/api/v1/plays?limit=4"
    while url:
        page = admin_api.get(url).json
        seen += [i["item"] for i in page["items"]]
        url = f"/api/v1/plays?limit=4&before={page['next']}" if page["next"] else ""
    assert seen == ["p5", "p4", "p3", "p2", "p1", "p0"]


def test_csv_has_bom_vietnamese_headers_and_local_times(admin_api, log) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.get("/api/v1/plays?format=csv&zone=thon-2")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "nhat-ky-phat-thanh.csv" in r.headers["Content-Disposition"]
    raw = r.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "Ngày",
        "Giờ",
        "Mã cụm loa",
        "Tên cụm loa",
        "Thôn",
        "Mã nội dung",
        "Tiêu đề",
        "Thể loại",
        "Sự kiện",
        "Thời lượng (giây)",
        "Ghi chú",
    ]
    assert [r[5] for r in rows[1:]] == ["p1", "p3", "p5"]  # oldest first, like a paper log
    assert rows[1][:5] == ["28/01/2027", "07:00:00", "thon-2-a", "Cụm a", "Thôn 2"]
    assert rows[1][8] == "Bắt đầu phát" and rows[1][9] == "61"
    assert rows[1][7] == "khác"  # category "news" is none of the known ones
    assert rows[3][8] == "Lỗi khi phát" and rows[3][10] == "lý do: hết hạn"


def _csv_rows(api, query: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    r = api.get(f"/api/v1/plays?format=csv&{query}")
    assert r.status_code == 200
    return list(csv.reader(io.StringIO(r.get_data().decode("utf-8-sig"))))[1:]


def test_csv_speaks_vietnamese_and_cannot_run_formulas(admin_api, database) -> None:  # type: ignore[no-untyped-def]
    seed_commune(database)
    events = [
        ("started", "propaganda", "Tuyên truyền BHYT", {"late_ms": 0.0}),
        ("started", "announcement", '=HYPERLINK("http://x","bấm")', {"late_ms": 1530.4}),
        ("skipped", "greeting", "+84 chúc Tết", {"reason": "late"}),
        (
            "rejected",
            "emergency",
            "@lệnh",
            {"reason": "bad_signature", "message": "sig", "topic": "t"},
        ),
        ("failed", "other", "-1 lỗi", {"error": "could not fetch"}),
        ("finished", "", "\tẩn", {}),
    ]
    with database.session() as s:
        for i, (kind, category, title, detail) in enumerate(events):
            s.add(
                PlayEvent(
                    site_id=SITE,
                    node_id="thon-1-a",
                    zone_id="thon-1",
                    item_id=f"c{i}",
                    type=kind,
                    at=T0 + timedelta(minutes=i),
                    title=title,
                    category=category,
                    detail=detail,
                )
            )
    rows = _csv_rows(admin_api, "zone=thon-1")
    assert [r[7] for r in rows] == [
        "tuyên truyền",
        "thông báo",
        "chúc mừng",
        "khẩn cấp",
        "khác",
        "",
    ]
    assert [r[6] for r in rows] == [
        "Tuyên truyền BHYT",
        '\'=HYPERLINK("http://x","bấm")',
        "'+84 chúc Tết",
        "'@lệnh",
        "'-1 lỗi",
        "'\tẩn",
    ]
    assert [r[10] for r in rows] == [
        "",  # on time: no "late_ms: 0.0"
        "bắt đầu trễ 1,5 giây",
        "lý do: đã quá giờ phát",
        "lý do: sai chữ ký số",
        "lỗi kỹ thuật: could not fetch",
        "",
    ]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("from=2026-11-01&to=2026-11-30", "nhat-ky-phat-thanh-2026-11.csv"),
        ("from=2026-02-01&to=2026-02-28", "nhat-ky-phat-thanh-2026-02.csv"),
        ("from=2026-11-03&to=2026-11-09", "nhat-ky-phat-thanh-2026-11-03-den-2026-11-09.csv"),
        ("from=2026-11-03&to=2026-11-03", "nhat-ky-phat-thanh-2026-11-03.csv"),
        ("from=2026-11-03", "nhat-ky-phat-thanh-tu-2026-11-03.csv"),
        ("to=2026-11-30", "nhat-ky-phat-thanh-den-2026-11-30.csv"),
        ("zone=thon-1", "nhat-ky-phat-thanh.csv"),
    ],
)
def test_csv_filename_names_the_period(admin_api, log, query, name) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.get(f"/api/v1/plays?format=csv&{query}")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f'attachment; filename="{name}"'
