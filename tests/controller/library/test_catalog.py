"""The library catalogue: rows, diacritics-insensitive search, dedup lookup, in-use checks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest

from controller.db.models import MediaItem, Program, TtsCacheEntry
from controller.library import catalog


@dataclass(frozen=True)
class Audio:
    sha256: str
    original_sha256: str
    bytes: int = 1000
    duration_ms: int = 2000
    lufs: float | None = -16.0
    true_peak_db: float | None = -1.5
    ext: str = "mp3"
    original_ext: str = "wav"


def audio(seed: str) -> Audio:
    return Audio(
        sha256=hashlib.sha256(f"d-{seed}".encode()).hexdigest(),
        original_sha256=hashlib.sha256(f"o-{seed}".encode()).hexdigest(),
    )


def add(session, title: str, category: str = "greeting", tags=(), seed: str | None = None):  # type: ignore[no-untyped-def]
    return catalog.create_media(
        session,
        site_id="xa-binh-yen",
        title=title,
        category=category,
        audio=audio(seed or title),
        tags=list(tags),
    )


def test_search_key_folds_vietnamese_title_and_tags() -> None:
    assert catalog.search_key("Chúc Tết Đoàn viên", ["Xuân 2027"]) == "chuc tet doan vien xuan 2027"
    assert catalog.query_words("  CHÚC   tết ") == ["chuc", "tet"]


@pytest.mark.postgres
def test_search_ignores_diacritics_and_filters_category(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        add(s, "Chúc Tết Nguyên đán", tags=["xuân"])
        add(s, "Thông báo tiêm chủng", category="announcement", tags=["y tế"])
        add(s, "Chúc mừng ngày Nhà giáo", tags=["20/11"])
    with database.session() as s:
        found = catalog.search_media(s, "xa-binh-yen", q="chuc tet")
        assert [i.title for i in found] == ["Chúc Tết Nguyên đán"]
        assert [i.title for i in catalog.search_media(s, "xa-binh-yen", q="y te")] == [
            "Thông báo tiêm chủng"
        ]
        greetings = catalog.search_media(s, "xa-binh-yen", category="greeting")
        assert {i.title for i in greetings} == {"Chúc Tết Nguyên đán", "Chúc mừng ngày Nhà giáo"}
        assert catalog.search_media(s, "xa-binh-yen", q="chúc", category="announcement") == []
        # Words match at word starts: "y" is not found inside "Nguyên"; every word must match.
        assert [i.title for i in catalog.search_media(s, "xa-binh-yen", q="y")] == [
            "Thông báo tiêm chủng"
        ]
        assert catalog.search_media(s, "xa-binh-yen", q="chuc 2099") == []
        assert len(catalog.search_media(s, "xa-binh-yen", q="%_")) == 3  # punctuation only
        assert catalog.search_media(s, "another-site", q="chuc") == []


def test_update_refreshes_the_search_key(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        item = add(s, "Bản tin sáng")
        catalog.update_media(item, title="Bản tin chiều", tags=["nông nghiệp"], category="other")
        assert item.search_key == "ban tin chieu nong nghiep"
        assert item.category == "other"
        with pytest.raises(ValueError):
            catalog.update_media(item, category="music")


def test_find_by_original_is_per_commune(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        item = add(s, "Lời chúc", seed="same")
        sha = item.original_sha256
        assert catalog.find_by_original(s, "xa-binh-yen", sha).id == item.id
        assert catalog.find_by_original(s, "xa-khac", sha) is None


@pytest.mark.postgres
def test_programs_using_skips_archived_and_other_items(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        item = add(s, "Tuyên truyền ATGT", category="propaganda")
        other = add(s, "Khác")
        s.add_all(
            [
                Program(site_id="xa-binh-yen", title="Sáng thứ Hai", media_ids=[other.id, item.id]),
                Program(site_id="xa-binh-yen", title="Cũ", status="archived", media_ids=[item.id]),
                Program(site_id="xa-binh-yen", title="Không liên quan", media_ids=[other.id]),
            ]
        )
        s.flush()
        assert [p.title for p in catalog.programs_using(s, "xa-binh-yen", item.id)] == [
            "Sáng thứ Hai"
        ]


def test_delete_reports_only_files_nobody_else_uses(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        first = add(s, "Một", seed="shared")
        lonely = add(s, "Ba", seed="lonely")
        s.add(TtsCacheEntry(key="k" * 64, media_id=lonely.id, engine="espeak"))
        s.flush()
        twin = MediaItem(
            site_id="xa-binh-yen", title="Bản sao", category="other", sha256=first.sha256,
            bytes=1, duration_ms=1, original_sha256=first.original_sha256, original_ext="wav",
        )  # fmt: skip
        s.add(twin)
        s.flush()
        assert catalog.delete_media(s, first) == []  # the twin still needs both files
        removed = catalog.delete_media(s, lonely)
        assert removed == [(lonely.sha256, "mp3"), (lonely.original_sha256, "wav")]
        assert s.get(TtsCacheEntry, "k" * 64) is None


def test_as_dict_has_the_integration_fields(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        item = add(s, "Chúc Tết", tags=["xuân"])
        out = catalog.as_dict(item)
    for key in ("id", "title", "category", "sha256", "bytes", "duration_ms", "lufs"):
        assert key in out
    assert out["url"] == f"/api/v1/media/{out['id']}/audio"
    assert out["tags"] == ["xuân"]
