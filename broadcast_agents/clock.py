"""Clock offset against an NTP server (measured, reported; the OS keeps the clock itself)."""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)
WARN_MS = 100.0


class ClockProbe(Protocol):
    def offset_ms(self) -> float | None:
        """Latest measured offset (server minus local) in ms, None if never measured."""
        ...

    def measure(self) -> float | None: ...


class NoClockProbe:
    def offset_ms(self) -> float | None:
        return None

    def measure(self) -> float | None:
        return None


class FixedClockProbe:
    """A fake for tests and benches."""

    def __init__(self, offset_ms: float | None) -> None:
        self._offset = offset_ms

    def offset_ms(self) -> float | None:
        return self._offset

    def measure(self) -> float | None:
        return self._offset


class NtpClockProbe:
    def __init__(self, server: str, port: int = 123, timeout: float = 3.0) -> None:
        self.server, self.port, self.timeout = server, port, timeout
        self._offset: float | None = None

    def offset_ms(self) -> float | None:
        return self._offset

    def measure(self) -> float | None:
        import ntplib  # late: only needed when a server is configured

        try:
            resp = ntplib.NTPClient().request(
                self.server, version=3, port=self.port, timeout=self.timeout
            )
        except (ntplib.NTPException, OSError) as exc:
            log.warning("NTP query to %s failed: %s", self.server, exc)
            return self._offset
        self._offset = round(resp.offset * 1000.0, 1)
        if abs(self._offset) > WARN_MS:
            log.warning("clock is %.0f ms off %s: playback may drift", self._offset, self.server)
        return self._offset
