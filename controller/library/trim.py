"""Leading and trailing silence trimming (pure numpy)."""

from __future__ import annotations

import numpy as np

FRAME_S = 0.010
PAD_S = 0.150  # keep a little room so speech onsets and tails are not cut
RELATIVE_DB = 40.0  # quieter than the loudest frame by this much counts as silence


def trim_silence(samples: np.ndarray, rate: int, floor_dbfs: float) -> np.ndarray:
    """Cut silence at both ends.

    A frame is silence when its RMS is under `floor_dbfs` or 40 dB under the loudest frame,
    so room noise on a phone recording is trimmed too. Returns the input if all is silence.
    """
    frame = max(1, int(FRAME_S * rate))
    count = samples.size // frame
    if count == 0:
        return samples
    frames = samples[: count * frame].astype(np.float64).reshape(count, frame)
    rms_db = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-20)
    threshold = max(floor_dbfs, float(rms_db.max()) - RELATIVE_DB)
    loud = np.flatnonzero(rms_db > threshold)
    if loud.size == 0:
        return samples
    pad = int(PAD_S * rate)
    start = max(0, loud[0] * frame - pad)
    stop = min(samples.size, (loud[-1] + 1) * frame + pad)
    return samples[start:stop]
