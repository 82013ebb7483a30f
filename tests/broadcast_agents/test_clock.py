"""Clock offset through ntplib against a local fake NTP server on an ephemeral UDP port."""

import logging
import socket
import struct
import threading
import time

import pytest

from broadcast_agents.clock import FixedClockProbe, NtpClockProbe

NTP_EPOCH = 2208988800


def _ntp_ts(t):
    return int(t + NTP_EPOCH), int((t % 1) * 2**32)


@pytest.fixture
def ntp_server():
    """Answers one query at a time with the local clock shifted by `offset` seconds."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    state = {"offset": 0.25}

    def serve():
        while True:
            try:
                data, addr = sock.recvfrom(512)
            except OSError:
                return
            now = time.time() + state["offset"]
            orig = data[40:48]
            sec, frac = _ntp_ts(now)
            header = struct.pack("!BBBb11I", (0 << 6) | (3 << 3) | 4, 1, 0, -20, 0, 0, 0,
                                 sec, frac, 0, 0, sec, frac, sec, frac)  # fmt: skip
            sock.sendto(header[:24] + orig + header[32:48], addr)

    threading.Thread(target=serve, daemon=True).start()
    yield sock.getsockname()[1], state
    sock.close()


def test_offset_measured_and_large_offset_warned(ntp_server, caplog):
    port, state = ntp_server
    probe = NtpClockProbe("127.0.0.1", port=port, timeout=2)
    assert probe.offset_ms() is None
    with caplog.at_level(logging.WARNING):
        offset = probe.measure()
    assert offset == pytest.approx(250, abs=20)
    assert probe.offset_ms() == offset
    assert any("ms off" in r.message for r in caplog.records)
    state["offset"] = 0.0
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert abs(probe.measure()) < 20
    assert not caplog.records


def test_unreachable_server_keeps_last_value():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but never answers
        probe = NtpClockProbe("127.0.0.1", port=port, timeout=0.3)
        assert probe.measure() is None
    assert FixedClockProbe(12.5).measure() == 12.5
