"""``/api/v1/tts/dictionary``: the commune's own readings win over the shipped ones."""

from __future__ import annotations

import pytest

from controller.db.models import AuditLog


@pytest.fixture
def officer(api_as):  # type: ignore[no-untyped-def]
    return api_as("officer")


def normalized(client, text: str) -> str:  # type: ignore[no-untyped-def]
    r = client.post("/api/v1/tts/normalize", json={"text": text})
    assert r.status_code == 200, r.json
    return r.json["normalized_text"]


def entries(client) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/tts/dictionary")
    assert r.status_code == 200
    return {e["term"]: e for e in r.json["items"]}


def test_listing_holds_the_shipped_entries(officer) -> None:  # type: ignore[no-untyped-def]
    listed = entries(officer)
    assert listed["UBND"] == {"term": "UBND", "reading": "Ủy ban nhân dân", "source": "shipped"}
    assert len(listed) > 30


def test_new_term_changes_the_normalized_text(officer) -> None:  # type: ignore[no-untyped-def]
    # Unknown capitals are spelled out letter by letter...
    assert normalized(officer, "Họp tại NVH thôn") == "Họp tại en nờ vê hát thôn"
    r = officer.post("/api/v1/tts/dictionary", json={"term": "NVH", "reading": "nhà văn hóa"})
    assert r.status_code == 201
    assert r.json == {"term": "NVH", "reading": "nhà văn hóa", "source": "site"}
    # ...until the commune says how to read them.
    assert normalized(officer, "Họp tại NVH thôn") == "Họp tại nhà văn hóa thôn"
    assert entries(officer)["NVH"]["source"] == "site"


def test_site_entry_wins_over_the_shipped_one_until_deleted(officer, app) -> None:  # type: ignore[no-untyped-def]
    assert "hợp tác xã" in normalized(officer, "Đại hội HTX năm 2027")
    r = officer.post(
        "/api/v1/tts/dictionary", json={"term": "HTX", "reading": "hợp tác xã nông nghiệp"}
    )
    assert r.status_code == 201
    assert "hợp tác xã nông nghiệp" in normalized(officer, "Đại hội HTX năm 2027")
    # Posting the same term again changes the reading (200, not a duplicate).
    r = officer.post("/api/v1/tts/dictionary", json={"term": "HTX", "reading": "hờ tê ích"})
    assert r.status_code == 200
    assert "hờ tê ích" in normalized(officer, "Đại hội HTX năm 2027")
    assert entries(officer)["HTX"] == {"term": "HTX", "reading": "hờ tê ích", "source": "site"}

    assert officer.delete("/api/v1/tts/dictionary/HTX").status_code == 204
    assert entries(officer)["HTX"]["source"] == "shipped"
    assert "hợp tác xã năm" in normalized(officer, "Đại hội HTX năm 2027")
    assert officer.delete("/api/v1/tts/dictionary/HTX").status_code == 404
    with app.extensions["tt.db"].session() as s:
        actions = [a.action for a in s.query(AuditLog).filter_by(target_type="pronunciation")]
    assert actions == ["tts.dictionary.put", "tts.dictionary.put", "tts.dictionary.delete"]


@pytest.mark.parametrize("term", ["KT-XH2", "Tp.", "ĐBQH", "x" * 40])
def test_accepted_terms(officer, term: str) -> None:  # type: ignore[no-untyped-def]
    r = officer.post("/api/v1/tts/dictionary", json={"term": term, "reading": "đọc thử"})
    assert r.status_code == 201, r.json
    assert officer.delete(f"/api/v1/tts/dictionary/{term}").status_code == 204


@pytest.mark.parametrize("term", ["", "hai từ", "x" * 41, "<b>", "a_b", "UBND;", "a/b"])
def test_refused_terms(officer, term: str) -> None:  # type: ignore[no-untyped-def]
    r = officer.post("/api/v1/tts/dictionary", json={"term": term, "reading": "đọc thử"})
    assert r.status_code == 422
    assert r.json["error"]["code"] == "validation"
    assert r.json["error"]["message"].startswith("Dữ liệu không hợp lệ: term")


def test_reading_is_required(officer) -> None:  # type: ignore[no-untyped-def]
    r = officer.post("/api/v1/tts/dictionary", json={"term": "KDC", "reading": "  "})
    assert r.status_code == 422 and "reading" in r.json["error"]["message"]


def test_dictionary_shapes_synthesized_notices(officer, config, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config.tts.engines = ["espeak"]
    officer.post("/api/v1/tts/dictionary", json={"term": "NVH", "reading": "nhà văn hóa"})
    r = officer.post("/api/v1/tts", json={"text": "Mời bà con đến NVH số 3.", "chime": False})
    assert r.status_code == 201, r.json
    assert "nhà văn hóa số ba" in r.json["normalized_text"]


def test_rights(api_as) -> None:  # type: ignore[no-untyped-def]
    for role in ("viewer", "approver", "node"):
        client = api_as(role)
        body = {"term": "KDC", "reading": "khu dân cư"}
        assert client.post("/api/v1/tts/dictionary", json=body).status_code == 403
        assert client.delete("/api/v1/tts/dictionary/UBND").status_code == 403
    assert api_as("viewer").get("/api/v1/tts/dictionary").status_code == 200
    assert api_as("node").get("/api/v1/tts/dictionary").status_code == 403
