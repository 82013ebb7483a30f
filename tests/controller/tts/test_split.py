"""Sentence splitting and chunking (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from controller.tts.split import Chunk, split_chunks, split_sentences


def test_vietnamese_sentences_and_punctuation():
    text = "Kính thưa bà con! Hôm nay trời mưa to. Bà con có nghe rõ không? Xin cảm ơn…"
    assert split_sentences(text) == [
        "Kính thưa bà con!",
        "Hôm nay trời mưa to.",
        "Bà con có nghe rõ không?",
        "Xin cảm ơn…",
    ]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Đoàn công tác TP. Hồ Chí Minh và PGS. TS. Nguyễn V. An đến xã. Mời bà con dự."
    assert split_sentences(text) == [
        "Đoàn công tác TP. Hồ Chí Minh và PGS. TS. Nguyễn V. An đến xã.",
        "Mời bà con dự.",
    ]


def test_etc_ends_a_sentence_only_before_a_capital():
    assert split_sentences("Mang bút, sổ, v.v. Sau đó về nhà.") == [
        "Mang bút, sổ, v.v.",
        "Sau đó về nhà.",
    ]
    assert split_sentences("Mang bút, sổ, v.v. để ghi chép.") == ["Mang bút, sổ, v.v. để ghi chép."]


def test_closing_quotes_stay_with_their_sentence_and_numbers_are_not_cut():
    text = "Ông nói: “Họp lúc 7.30 sáng.” Giá 1.500 đồng."
    assert split_sentences(text) == ["Ông nói: “Họp lúc 7.30 sáng.”", "Giá 1.500 đồng."]


def test_line_breaks_end_sentences_and_blank_lines_vanish():
    text = "THÔNG BÁO\n\n  Về việc   tiêm chủng  \n- Đối tượng: trẻ em"
    assert split_sentences(text) == ["THÔNG BÁO", "Về việc tiêm chủng", "- Đối tượng: trẻ em"]


def test_long_sentence_is_cut_at_clauses_first():
    sentence = "Bà con thôn Một, thôn Hai, thôn Ba; cùng các hộ kinh doanh ven đường liên xã, " * 3
    chunks = split_chunks(sentence.strip(), max_chars=100)
    assert all(len(c.text) <= 100 for c in chunks)
    assert all(c.text.endswith((",", ";", ".")) for c in chunks[:-1])
    assert [c.sentence_end for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert " ".join(c.text for c in chunks) == " ".join(sentence.split())


def test_very_long_sentence_without_punctuation_is_cut_between_words():
    words = ["bà", "con", "thôn", "Một", "đến", "nhà", "văn", "hóa"] * 40
    chunks = split_chunks(" ".join(words), max_chars=100)
    assert len(chunks) > 3
    assert all(len(c.text) <= 100 for c in chunks)
    assert [w for c in chunks for w in c.text.split()] == words


def test_word_longer_than_the_limit_is_cut():
    assert split_chunks("x" * 250, max_chars=100) == [
        Chunk("x" * 100, False),
        Chunk("x" * 100, False),
        Chunk("x" * 50, True),
    ]


def test_nothing_to_speak():
    assert split_chunks("  \n \n") == []


@given(st.text(alphabet="aăâbđ .,;!?…\n-“”", max_size=400), st.integers(5, 120))
def test_chunks_fit_and_keep_every_word(text, max_chars):
    chunks = split_chunks(text, max_chars)
    assert all(0 < len(c.text) <= max_chars for c in chunks)
    assert "".join("".join(c.text.split()) for c in chunks) == "".join(text.split())
