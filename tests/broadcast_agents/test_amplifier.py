"""Amplifier relay via gpiozero's MockFactory: warm-up before play, off after idle."""

import pytest
from gpiozero.pins.mock import MockFactory

from broadcast_agents.amplifier import gpio_amplifier


@pytest.fixture
def factory():
    f = MockFactory()
    yield f
    f.close()


def test_on_with_warmup_then_off_after_idle(factory):
    amp = gpio_amplifier(17, warmup_s=1.5, idle_off_s=0.05, pin_factory=factory)
    pin = factory.pin(17)
    assert pin.state is False
    ready = amp.acquire()
    assert pin.state is True and amp.is_on
    second = amp.acquire()
    assert second == ready  # already warm-ing: same instant, no second warm-up
    amp.release()
    assert pin.state is True  # still one user
    amp.release()
    assert amp.idle_off.wait(5)
    assert pin.state is False and not amp.is_on


def test_new_item_during_idle_period_keeps_it_on(factory):
    amp = gpio_amplifier(4, warmup_s=0.0, idle_off_s=0.2, pin_factory=factory)
    amp.acquire()
    amp.release()
    amp.acquire()  # cancels the idle timer
    assert not amp.idle_off.wait(0.4)
    assert factory.pin(4).state is True
    amp.close()
    assert factory.pin(4).state is False
