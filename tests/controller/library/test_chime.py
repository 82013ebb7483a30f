from pathlib import Path

import numpy as np
import pytest

from controller.library.chime import LENGTH_S, bell, chime_samples, make_chime, render_chime
from controller.library.settings import AudioSettings

from .conftest import ebur128, stream_info

SHIPPED = Path(__file__).resolve().parents[3] / "audio_library" / "chime.mp3"


def test_chime_is_soft_mono_and_click_free():
    seg = make_chime()
    samples = chime_samples()
    assert (seg.channels, seg.frame_rate, seg.sample_width) == (1, 48000, 2)
    assert len(seg) == pytest.approx(LENGTH_S * 1000, abs=1)
    assert np.abs(samples).max() == pytest.approx(0.5, abs=1e-3)
    # No sample-to-sample jumps (clicks): the steepest slope stays that of the bell tones.
    assert np.abs(np.diff(samples)).max() < 0.1
    assert np.abs(samples[-100:]).max() < 1e-3  # faded out, no cut at the end


def test_chime_is_deterministic():
    assert np.array_equal(chime_samples(), chime_samples())


def test_bell_decays():
    stroke = bell(440, 2.0)
    first, last = np.abs(stroke[:4800]).max(), np.abs(stroke[-4800:]).max()
    assert first == pytest.approx(1.0, abs=0.05) and last < 0.2 * first


def test_rendered_chime_matches_library_loudness(tmp_path):
    path = tmp_path / "chime.mp3"
    path.write_bytes(render_chime(AudioSettings()))
    lufs, peak = ebur128(path)
    assert lufs == pytest.approx(-16, abs=1.0) and peak <= -1.0


def test_shipped_chime_is_small_mono_48k():
    assert SHIPPED.stat().st_size < 64 * 1024
    stream = stream_info(SHIPPED)["streams"][0]
    assert (stream["codec_name"], stream["channels"], stream["sample_rate"]) == ("mp3", 1, "48000")
    assert ebur128(SHIPPED)[0] == pytest.approx(-16, abs=1.0)
