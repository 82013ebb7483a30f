"""Amplifier relay on a GPIO pin: on (with warm-up) before an item, off after an idle timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class Switch(Protocol):
    def on(self) -> None: ...
    def off(self) -> None: ...


class Amplifier:
    """Counts users; `acquire` returns the wall-clock instant when the amplifier is warm."""

    def __init__(
        self,
        switch: Switch,
        warmup_s: float,
        idle_off_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._switch = switch
        self._warmup_s = warmup_s
        self._idle_off_s = idle_off_s
        self._clock = clock
        self._lock = threading.Lock()
        self._users = 0
        self._on_since: float | None = None
        self._timer: threading.Timer | None = None
        self.idle_off = threading.Event()  # set whenever the idle timer switched it off

    @property
    def is_on(self) -> bool:
        return self._on_since is not None

    def acquire(self) -> float:
        with self._lock:
            self._users += 1
            self._cancel_timer()
            if self._on_since is None:
                self._switch.on()
                self._on_since = self._clock()
                self.idle_off.clear()
            return self._on_since + self._warmup_s

    def release(self) -> None:
        with self._lock:
            self._users = max(0, self._users - 1)
            if self._users == 0 and self._on_since is not None:
                self._cancel_timer()
                self._timer = threading.Timer(self._idle_off_s, self._idle_timeout)
                self._timer.daemon = True
                self._timer.start()

    def close(self) -> None:
        with self._lock:
            self._cancel_timer()
            self._switch.off()
            self._on_since = None

    def _idle_timeout(self) -> None:
        with self._lock:
            if self._users == 0 and self._on_since is not None:
                self._switch.off()
                self._on_since = None
                self.idle_off.set()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class NoAmplifier:
    """For nodes without a relay: always ready."""

    is_on = False

    def acquire(self) -> float:
        return 0.0

    def release(self) -> None:
        pass

    def close(self) -> None:
        pass


def gpio_amplifier(pin: int, warmup_s: float, idle_off_s: float, pin_factory=None) -> Amplifier:
    """An Amplifier on a gpiozero OutputDevice (pin_factory: e.g. MockFactory in tests)."""
    from gpiozero import OutputDevice  # imported late: only nodes with a relay need it

    device = OutputDevice(pin, active_high=True, initial_value=False, pin_factory=pin_factory)
    return Amplifier(device, warmup_s, idle_off_s)
