"""Lịch phát pages: the week/day calendar (occurrences, holidays, hamlet filter, status badges),
the program editor, and, in real Chromium, the officer's whole flow: create a weekly program,
settle a conflict with "override", get refused in quiet hours, and see the approved program in
the right weekday column after the approver's decision.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from controller.auth.roles import allowed
from controller.config import REPO_ROOT
from controller.db.models import MediaItem
from controller.web.schedule_pages import describe_schedule, week_start
from tests.conftest import PASSWORD
from tests.support.audio import make_tone
from tests.support.browser import browser_page
from tests.support.live_server import live_server

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2027, 1, 4, 8, 0, tzinfo=TZ)  # a Monday
SHOTS = REPO_ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def site(app, admin_api) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Two hamlets with a node each, two clips in the library, the clock pinned to NOW."""
    app.extensions["tt.clock"] = lambda: NOW
    for zone, name in (("thon-1", "Thôn Đông"), ("thon-2", "Thôn Đoài")):
        assert admin_api.post("/api/v1/zones", json={"id": zone, "name": name}).status_code == 201
        r = admin_api.post("/api/v1/nodes", json={"id": f"{zone}-a", "zone": zone})
        assert r.status_code == 201
    ids = []
    with app.extensions["tt.db"].session() as session:
        for n, seconds in ((1, 60), (2, 120)):
            item = MediaItem(
                site_id="xa-binh-yen", title=f"Bản tin số {n}", category="propaganda",
                sha256=f"{n:064x}", bytes=1000 * n, duration_ms=seconds * 1000,
                original_sha256=f"{n:064x}",
            )  # fmt: skip
            session.add(item)
            session.flush()
            ids.append(item.id)
    return {"media": ids}


def program(api: Any, site: dict, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Tuyên truyền phòng cháy",
        "media_ids": [site["media"][0]],
        "zones": ["thon-1"],
        "schedule": {"type": "weekly", "days": [0, 2], "time": "07:00"},
    }
    body.update(kw)
    r = api.post("/api/v1/programs", json=body)
    assert r.status_code == 201, r.json
    return r.json


def column(html: str, day: date) -> str:
    """The HTML of one day's column of the calendar."""
    match = re.search(rf'data-date="{day.isoformat()}".*?</section>', html, flags=re.DOTALL)
    assert match, day
    return match.group(0)


# --- pure helpers ------------------------------------------------------------------------------


def test_week_starts_on_monday() -> None:
    assert week_start(date(2027, 1, 10)) == date(2027, 1, 4)  # Sunday -> its Monday
    assert week_start(date(2027, 1, 4)) == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        ({"type": "once", "at": "2027-01-05T07:30:00+07:00"}, "Một lần: 05/01/2027 07:30"),
        ({"type": "once", "at": "2027-01-05T00:30:00+00:00"}, "Một lần: 05/01/2027 07:30"),
        ({"type": "daily", "time": "06:00"}, "Hằng ngày lúc 06:00"),
        (
            {"type": "weekly", "days": [0, 2, 6], "time": "07:00"},
            "Hằng tuần: Thứ Hai, Thứ Tư, Chủ nhật lúc 07:00",
        ),
        ({"type": "monthly", "day": 15, "time": "17:00"}, "Hằng tháng ngày 15 lúc 17:00"),
        ({"type": "monthly", "day": -1, "time": "17:00"}, "Hằng tháng ngày cuối tháng lúc 17:00"),
        ({"type": "cron", "expr": "30 6 * * 1-5"}, "Lịch nâng cao (biểu thức cron): 30 6 * * 1-5"),
        (
            {"type": "holiday", "holiday": "tet-nguyen-dan", "offset_days": -1, "time": "20:00"},
            "1 ngày trước Tết Nguyên đán (mùng 1 Tết), lúc 20:00",
        ),
        (
            {"type": "holiday", "holiday": "quoc-khanh", "offset_days": 0, "time": "06:00"},
            "Ngày lễ Quốc khánh lúc 06:00",
        ),
        (
            {"type": "relay", "time": "05:30", "end_time": "06:00", "recurrence": "daily"},
            "Tiếp âm hằng ngày 05:30–06:00",
        ),
        (
            {
                "type": "relay",
                "time": "18:00",
                "end_time": "18:30",
                "recurrence": "weekly",
                "days": [5],
            },
            "Tiếp âm hằng tuần: Thứ Bảy 18:00–18:30",
        ),
    ],
)
def test_schedule_summary_in_vietnamese(app, schedule, words) -> None:  # type: ignore[no-untyped-def]
    names = {"tet-nguyen-dan": "Tết Nguyên đán (mùng 1 Tết)", "quoc-khanh": "Quốc khánh"}
    with app.test_request_context("/schedule"):
        assert describe_schedule(schedule, names, TZ) == words


def test_schedule_summary_in_english(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/schedule?lang=en"):
        text = describe_schedule({"type": "weekly", "days": [0], "time": "07:00"}, {}, TZ)
    assert text == "Weekly: Monday at 07:00"


# --- calendar ------------------------------------------------------------------------------------


def test_week_shows_occurrences_in_their_weekday_columns(site, api_as) -> None:  # type: ignore[no-untyped-def]
    officer, approver = api_as("officer"), api_as("approver")
    weekly = program(officer, site)
    approver.post(f"/api/v1/programs/{weekly['id']}/approve")
    program(officer, site, title="Thông báo CCHC", all=True, zones=None,
            schedule={"type": "once", "at": "2027-01-07T17:00:00+07:00"})  # fmt: skip
    html = officer.get("/schedule").get_data(as_text=True)
    assert "Tuần từ 04/01/2027 đến 10/01/2027" in html
    headings = re.findall(r'<span class="sch-wd">([^<]+)</span>', html)
    assert headings == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
    monday, tuesday, wednesday = (column(html, date(2027, 1, d)) for d in (4, 5, 6))
    assert "07:00–07:01" in monday and "Tuyên truyền phòng cháy" in monday
    assert "Đã duyệt" in monday and "Thôn Đông" in monday
    assert "Tuyên truyền phòng cháy" in wednesday
    assert "Tuyên truyền phòng cháy" not in tuesday and "Không có lượt phát." in tuesday
    thursday = column(html, date(2027, 1, 7))
    assert "17:00–17:01" in thursday and "Chờ duyệt" in thursday and "Toàn xã" in thursday


def test_overlaps_say_which_program_plays(site, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    program(officer, site, title="Bản tin thường")
    program(officer, site, title="Khẩn: phòng chống bão", priority="emergency", all=True,
            on_conflict="override",
            zones=None, schedule={"type": "once", "at": "2027-01-06T07:00:00+07:00"})  # fmt: skip
    html = officer.get("/schedule").get_data(as_text=True)
    wednesday = column(html, date(2027, 1, 6))
    assert "Nhường giờ cho «Khẩn: phòng chống bão»" in wednesday
    assert "Nhường giờ" not in column(html, date(2027, 1, 4))  # Monday: nothing overlaps
    # In a hamlet the emergency does not reach, nothing yields.
    other = officer.get("/schedule?zone=thon-2").get_data(as_text=True)
    assert "Nhường giờ" not in other
    left = officer.get("/schedule?saved=1&left=3").get_data(as_text=True)
    assert "3 lượt phát vẫn nhường cho chương trình có mức ưu tiên cao hơn." in left


def test_hamlet_filter_and_day_view(site, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    program(officer, site, title="Riêng thôn Đông")
    program(officer, site, title="Riêng thôn Đoài", zones=["thon-2"])
    html = officer.get("/schedule?zone=thon-2").get_data(as_text=True)
    cal = html.split('id="sch-calendar"')[1]
    assert "Riêng thôn Đoài" in cal and "Riêng thôn Đông" not in cal
    day = officer.get("/schedule?view=day&date=2027-01-06").get_data(as_text=True)
    assert day.count('class="sch-col') == 1 and "06/01/2027" in day
    assert "Riêng thôn Đông" in day and "Riêng thôn Đoài" in day
    assert "Ngày sau »" in day and "date=2027-01-07" in day


def test_holidays_are_marked_with_their_lunar_date(site, api_as) -> None:  # type: ignore[no-untyped-def]
    viewer = api_as("viewer")
    tet = viewer.get("/schedule?date=2027-02-06").get_data(as_text=True)  # mùng 1 Tết 2027
    saturday = column(tet, date(2027, 2, 6))
    assert "Tết Nguyên đán (mùng 1 Tết) (1/1 âm lịch)" in saturday
    assert "Giao thừa" in column(tet, date(2027, 2, 5))
    national = viewer.get("/schedule?date=2027-09-02").get_data(as_text=True)
    assert "Quốc khánh" in column(national, date(2027, 9, 2))
    assert "âm lịch" not in column(national, date(2027, 9, 2))
    # A viewer reads the calendar but gets no editing buttons.
    assert "Tạo chương trình" not in tet


def test_program_list_shows_every_outcome(site, api_as) -> None:  # type: ignore[no-untyped-def]
    officer, approver = api_as("officer"), api_as("approver")
    rejected = program(officer, site, title="Chưa đạt")
    approver.post(f"/api/v1/programs/{rejected['id']}/reject",
                  json={"comment": "Thiếu số điện thoại liên hệ"})  # fmt: skip
    paused = program(officer, site, title="Tạm ngưng", zones=["thon-2"])
    approver.post(f"/api/v1/programs/{paused['id']}/approve", json={"comment": "Đồng ý"})
    approver.post(f"/api/v1/programs/{paused['id']}/pause")
    daily = {"type": "daily", "time": "06:00"}
    program(officer, site, title="Bản nháp", draft=True, schedule=daily)
    html = officer.get("/schedule").get_data(as_text=True)
    assert "Bị từ chối: Thiếu số điện thoại liên hệ" in html
    assert "Tạm dừng" in html and "Ý kiến lãnh đạo: Đồng ý" in html
    assert "Nháp" in html and "Hằng ngày lúc 06:00" in html
    # Paused, draft and rejected programs do not play, so the calendar leaves them out.
    assert "Tạm ngưng" not in html.split('id="sch-calendar"')[1].split("sch-programs-h")[0]


def test_saved_program_opens_the_week_it_first_plays(site, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    later = program(officer, site, title="Chúc Tết", all=True, zones=None,
                    schedule={"type": "holiday", "holiday": "tet-nguyen-dan",
                              "offset_days": -1, "time": "20:00"})  # fmt: skip
    html = officer.get(f"/schedule?saved={later['id']}").get_data(as_text=True)
    assert "Đã lưu chương trình «Chúc Tết»" in html
    assert "Tuần từ 01/02/2027 đến 07/02/2027" in html
    assert "20:00–20:01" in column(html, date(2027, 2, 5))


def test_editor_is_for_officers_and_loads_the_program(site, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    existing = program(officer, site, title="Sẽ sửa")
    page = officer.get("/schedule/programs/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for label in ("Tên chương trình", "Danh sách phát", "Toàn xã", "Hằng tuần",
                  "Nâng cao (biểu thức cron)", "Theo ngày lễ", "Tiếp âm", "Chúc Tết",
                  "Quốc khánh 2/9", "Thôn Đoài",
                  "Bản tin số 2", "Ưu tiên chương trình này", "Phát nối tiếp sau"):  # fmt: skip
        assert label in html, label
    # Every input has a label pointing at it.
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids and ids <= labelled, ids - labelled
    edit = officer.get(f"/schedule/programs/{existing['id']}/edit").get_data(as_text=True)
    assert "Sửa chương trình phát thanh" in edit and '"title": "Sẽ sửa"' in edit
    assert officer.get("/schedule/programs/99999/edit").status_code == 404
    # Whoever may schedule may open the editor (roles.py decides who that is).
    expected = 200 if allowed("approver", "schedule") else 403
    assert api_as("approver").get("/schedule/programs/new").status_code == expected
    assert api_as("viewer").get("/schedule/programs/new").status_code == 403


def test_pages_in_english_have_no_missing_words(site, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    program(officer, site)
    for path in ("/schedule?lang=en", "/schedule/programs/new?lang=en", "/schedule?lang=vi"):
        html = officer.get(path).get_data(as_text=True)
        html = re.sub(r'<script type="application/json".*?</script>', "", html, flags=re.DOTALL)
        assert not re.search(r"\b(sch|apv)_[a-z_0-9]+", html), path  # every key has words
    week = officer.get("/schedule?lang=en").get_data(as_text=True)
    assert "Monday" in week and "Weekly: Monday, Wednesday at 07:00" in week
    assert "Pending approval" in week


# --- in the browser ------------------------------------------------------------------------------


def upload_clip(api: Any, tmp_path: Path, title: str, freq: int) -> int:
    """A short real clip (ffmpeg sine) through the library upload API."""
    clip = make_tone(tmp_path / f"tone-{freq}", 2.0, freq=freq)
    with clip.open("rb") as fh:
        r = api.post(
            "/api/v1/media",
            data={"file": (fh, clip.name), "title": title, "category": "propaganda"},
            content_type="multipart/form-data",
        )
    assert r.status_code == 201, r.json
    return r.json["id"]


def login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def logout(page: Any, base: str) -> None:
    page.click("text=Đăng xuất")
    page.wait_for_url(re.compile(r".*/login.*"))


def fill_weekly(page: Any, title: str, media_title: str, zone: str, days: list[str]) -> None:
    page.fill("#sch-title", title)
    value = page.locator("#sch-media-pick option", has_text=media_title).get_attribute("value")
    page.select_option("#sch-media-pick", value=value)
    page.click("#sch-add")
    page.check(f"label:text-is('{zone}')")
    page.click("label[for=sch-type-weekly]")
    for day in days:
        page.check(f"#sch-wd-{day}")
    page.fill("#sch-time", "07:00")


def shot(page: Any, name: str, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


@pytest.mark.browser
def test_officer_creates_settles_conflict_and_sees_approved_week(  # type: ignore[no-untyped-def]
    app, site, admin_api, make_user, tmp_path
) -> None:
    from playwright.sync_api import expect

    upload_clip(admin_api, tmp_path, "Bản tin nông nghiệp", 440)
    upload_clip(admin_api, tmp_path, "Thông báo tiêm chủng", 660)
    officer, approver = make_user("officer"), make_user("approver")
    with live_server(app) as base, browser_page(viewport=DESKTOP) as page:
        login(page, base, officer)
        page.goto(base + "/schedule/programs/new")
        fill_weekly(page, "Bản tin sáng", "Bản tin nông nghiệp", "Thôn Đông", ["0", "2"])
        expect(page.locator("#sch-playlist li")).to_have_count(1)
        shot(page, "schedule-editor")
        page.click("#sch-save")
        page.wait_for_url(re.compile(r".*/schedule\?saved=\d+"))
        expect(page.locator("#sch-saved")).to_contain_text("Chờ duyệt")

        # A second program at the same time in the same hamlet: the conflict dialog.
        page.goto(base + "/schedule/programs/new")
        fill_weekly(page, "Tiêm chủng mở rộng", "Thông báo tiêm chủng", "Thôn Đông", ["2"])
        page.click("#sch-save")
        dialog = page.locator("#sch-conflict")
        expect(dialog).to_be_visible()
        row = dialog.locator(".sch-conflict-row").first
        expect(row).to_contain_text("Bản tin sáng")
        expect(row).to_contain_text("Thôn Đông")
        expect(row).to_contain_text("06/01/2027 07:00–07:01")
        expect(dialog.locator("#sch-conflict-message")).to_have_text(
            "Trùng với 5 lượt phát đã có trong 30 ngày tới."
        )
        shot(page, "schedule-conflict", full=False)
        page.set_viewport_size(PHONE)
        shot(page, "schedule-conflict-375", full=False)
        page.set_viewport_size(DESKTOP)
        dialog.get_by_role("button", name="Ưu tiên chương trình này").click()
        page.wait_for_url(re.compile(r".*/schedule\?saved=\d+"))
        expect(page.locator("#sch-saved")).to_contain_text("Tiêm chủng mở rộng")

        # Quiet hours: 23:00 every day is refused with the reason.
        page.goto(base + "/schedule/programs/new")
        page.fill("#sch-title", "Phát đêm")
        page.click("#sch-add")
        page.check("label:text-is('Toàn xã')")
        page.click("label[for=sch-type-daily]")
        page.fill("#sch-time", "23:00")
        page.click("#sch-save")
        error = page.locator("#sch-error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("Không lưu được vì giờ yên tĩnh")
        expect(error).to_contain_text("22:00–05:00")
        expect(page.locator("#sch-time")).to_have_attribute("aria-invalid", "true")
        shot(page, "schedule-quiet-hours")
        page.set_viewport_size(PHONE)
        shot(page, "schedule-editor-375")
        page.set_viewport_size(DESKTOP)
        logout(page, base)

        # The approver approves the second program in the queue.
        login(page, base, approver)
        page.goto(base + "/approvals")
        card = page.locator(".apv-card", has_text="Tiêm chủng mở rộng")
        expect(card.locator(".apv-schedule")).to_have_text("Hằng tuần: Thứ Tư lúc 07:00")
        card.locator("textarea").fill("Đồng ý phát")
        card.get_by_role("button", name="Duyệt").click()
        page.locator("#apv-yes").click()
        expect(page.locator("#apv-status")).to_have_text("Đã duyệt «Tiêm chủng mở rộng».")
        expect(page.locator(".apv-card")).to_have_count(1)

        # ... and it is in the Wednesday column of the week, approved; Monday has only the other.
        page.goto(base + "/schedule")
        wednesday = page.locator('.sch-col[data-weekday="2"]')

        def titled(col: Any, title: str) -> Any:
            return col.locator(".sch-item").filter(
                has=page.locator(".sch-item-title", has_text=re.compile(f"^{title}$"))
            )

        item = titled(wednesday, "Tiêm chủng mở rộng")
        expect(item).to_have_attribute("data-status", "approved")
        expect(item.locator(".badge.st-approved")).to_have_text("Đã duyệt")
        expect(item.locator(".sch-time")).to_have_text("07:00–07:01")
        # Where both would sound, the calendar says which one the loudspeaker plays.
        expect(titled(wednesday, "Bản tin sáng")).to_contain_text(
            "Nhường giờ cho «Tiêm chủng mở rộng»"
        )
        monday = page.locator('.sch-col[data-weekday="0"]')
        expect(titled(monday, "Tiêm chủng mở rộng")).to_have_count(0)
        expect(titled(monday, "Bản tin sáng")).to_have_count(1)
        shot(page, "schedule-week")
        page.set_viewport_size(PHONE)
        shot(page, "schedule-week-375")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.set_viewport_size(DESKTOP)
        page.goto(base + "/schedule?view=day&date=2027-01-06")
        expect(page.locator(".sch-item")).to_have_count(2)
        shot(page, "schedule-day")
        page.set_viewport_size(PHONE)
        shot(page, "schedule-day-375")


@pytest.mark.browser
def test_holiday_preset_lands_on_the_tet_week_and_edits_back(  # type: ignore[no-untyped-def]
    app, site, make_user
) -> None:
    from playwright.sync_api import expect

    officer = make_user("officer")
    with live_server(app) as base, browser_page(viewport=DESKTOP) as page:
        login(page, base, officer)
        page.goto(base + "/schedule/programs/new")
        page.fill("#sch-title", "Lời chúc Tết của Chủ tịch UBND xã")
        page.click("#sch-add")
        page.check("label:text-is('Toàn xã')")
        page.click("label[for=sch-type-holiday]")
        page.get_by_role("button", name=re.compile("^Chúc Tết")).click()
        expect(page.locator("#sch-holiday")).to_have_value("tet-nguyen-dan")
        expect(page.locator("#sch-offset")).to_have_value("-1")
        expect(page.locator("#sch-time")).to_have_value("20:00")
        page.fill("#sch-valid-to", "31/02/2027")  # no such day: refused before sending
        page.click("#sch-save")
        expect(page.locator("#sch-error")).to_contain_text("dd/mm/yyyy")
        expect(page.locator("#sch-valid-to")).to_have_attribute("aria-invalid", "true")
        page.fill("#sch-valid-to", "28/02/2027")
        page.click("#sch-save")
        page.wait_for_url(re.compile(r".*/schedule\?saved=\d+"))
        expect(page.locator(".sch-range")).to_have_text("Tuần từ 01/02/2027 đến 07/02/2027")
        friday = page.locator('.sch-col[data-weekday="4"]')
        expect(friday.locator(".sch-holiday")).to_contain_text("Giao thừa")
        expect(friday.locator(".sch-item .sch-time")).to_have_text("20:00–20:01")
        saturday = page.locator('.sch-col[data-weekday="5"]')
        expect(saturday.locator(".sch-holiday").first).to_contain_text(
            "Tết Nguyên đán (mùng 1 Tết) (1/1 âm lịch)"
        )
        shot(page, "schedule-holidays")
        page.set_viewport_size(PHONE)
        shot(page, "schedule-holidays-375")
        page.set_viewport_size(DESKTOP)

        # Editing loads every field back; a new time moves the occurrence.
        page.get_by_role("link", name="Sửa").first.click()
        expect(page.locator("#sch-title")).to_have_value("Lời chúc Tết của Chủ tịch UBND xã")
        expect(page.locator("#sch-type-holiday")).to_be_checked()
        expect(page.locator("#sch-valid-to")).to_have_value("28/02/2027")
        expect(page.locator("#sch-playlist li")).to_have_count(1)
        page.fill("#sch-time", "19h30")
        page.click("#sch-save")
        page.wait_for_url(re.compile(r".*/schedule\?saved=\d+"))
        expect(friday.locator(".sch-item .sch-time")).to_have_text("19:30–19:31")
        expect(page.locator(".sch-program")).to_contain_text(
            "1 ngày trước Tết Nguyên đán (mùng 1 Tết), lúc 19:30 (đến 28/02/2027)"
        )
