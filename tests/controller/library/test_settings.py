import pytest

from controller.library.settings import AudioSettings


def test_defaults_match_the_issue():
    s = AudioSettings()
    assert (s.target_lufs, s.true_peak_db, s.max_duration_s) == (-16.0, -1.0, 3600.0)
    assert s.max_upload_bytes == 200 * 1024 * 1024
    assert (s.format, s.sample_rate, s.bitrate, s.extension) == ("mp3", 48000, "64k", "mp3")


def test_from_mapping_overrides_and_keeps_defaults():
    s = AudioSettings.from_mapping({"target_lufs": -18, "format": "opus"})
    assert s.target_lufs == -18 and s.extension == "opus" and s.bitrate == "64k"


def test_from_mapping_none_is_defaults():
    assert AudioSettings.from_mapping(None) == AudioSettings()


def test_unknown_key_is_an_error():
    with pytest.raises(ValueError, match="target_lfus"):
        AudioSettings.from_mapping({"target_lfus": -16})


@pytest.mark.parametrize(
    "values",
    [{"format": "wma"}, {"target_lufs": 3}, {"true_peak_db": 1}, {"sample_rate": 12345}],
)
def test_invalid_values_are_refused(values):
    with pytest.raises(ValueError):
        AudioSettings(**values)
