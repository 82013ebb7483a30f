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
    assert rows[3][8] == "Lỗi khi phát" and rows[3][10] == "reason: hết hạn"
