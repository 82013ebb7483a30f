"""Pure scheduling decisions: arming ahead, preemption, skips, relays resuming."""

from datetime import UTC, datetime, timedelta

from broadcast_agents.protocol import MediaRef, PlanItem
from broadcast_agents.timeline import Arm, PlayState, Skip, decide

T0 = datetime(2027, 1, 28, 6, 0, tzinfo=UTC)
LEAD = timedelta(seconds=3)
LATE = timedelta(seconds=5)


def clip(id_, start_s, dur_s=10, priority=10, kind="clip"):
    media = (MediaRef("/m", "a" * 64, 1, int(dur_s * 1000)),)
    return PlanItem(id_, T0 + timedelta(seconds=start_s), priority, id_, kind, 80, media)


def relay(id_, start_s, end_s, priority=5):
    return PlanItem(id_, T0 + timedelta(seconds=start_s), priority, id_, "relay", 80, (),
                    end=T0 + timedelta(seconds=end_s), stream_url="http://s")  # fmt: skip


def at(s):
    return T0 + timedelta(seconds=s)


def run(items, now_s, **state):
    return decide(items, at(now_s), PlayState(**state), lead=LEAD, late_join=LATE)


def test_arms_ahead_within_lead_and_wakes_at_lead():
    items = [clip("a", 10)]
    far = run(items, 0)
    assert far.arm is None and far.next_wake == at(7)
    near = run(items, 7.5)
    assert near.arm == Arm(items[0], at(10))
    assert run(items, 8, armed="a", armed_at=at(10)).arm is None


def test_joins_late_with_now_as_instant_but_skips_beyond_late_join():
    items = [clip("a", 10)]
    assert run(items, 12).arm == Arm(items[0], at(12))
    late = run(items, 16)
    assert late.arm is None and late.skips == (Skip(items[0], "late"),)


def test_higher_priority_preempts_playing_item():
    low, high = clip("low", 0, 30, priority=10), clip("emg", 10, 5, priority=100)
    ahead = run([low, high], 8, playing="low")
    assert ahead.arm == Arm(high, at(10))
    # An emergency that arrives while playing starts now.
    assert run([low, high], 11, playing="low").arm == Arm(high, at(11))


def test_emergency_kind_beats_numeric_priority():
    normal = clip("n", 0, 30, priority=1000)
    emg = clip("e", 10, 5, priority=1, kind="emergency")
    assert run([normal, emg], 9, playing="n").arm == Arm(emg, at(10))


def test_lower_or_equal_priority_item_is_skipped_as_busy():
    a, b, c = clip("a", 0, 30, priority=10), clip("b", 10, 5, priority=10), clip("c", 12, 5, 1)
    d = run([a, b, c], 8, playing="a")
    assert d.arm is None
    assert run([a, b, c], 10, playing="a").skips == (Skip(b, "busy"),)
    assert run([a, b, c], 12, playing="a", done=frozenset({"b"})).skips == (Skip(c, "busy"),)


def test_long_item_playing_past_late_join_is_not_preempted_by_lower():
    long, low = clip("long", 0, 60, priority=10), clip("low", 30, 5, priority=1)
    d = run([long, low], 30, playing="long")
    assert d.arm is None and d.skips == (Skip(low, "busy"),)


def test_armed_item_whose_instant_passed_counts_as_playing():
    a, b = clip("a", 10, 10, priority=10), clip("b", 10, 10, priority=5)
    d = run([a, b], 10.001, armed="a", armed_at=at(10))
    assert d.arm is None and d.skips == (Skip(b, "busy"),)


def test_relay_waits_for_emergency_then_resumes():
    r, e = relay("r", 0, 600), clip("e", 100, 10, priority=100)
    assert run([r, e], 98, playing="r").arm == Arm(e, at(100))
    during = run([r, e], 105, playing="e")
    assert during.arm is None and during.skips == ()
    assert run([r, e], 110.5, done=frozenset({"e"})).arm == Arm(r, at(110.5))


def test_earlier_arm_replaces_later_one_and_done_items_are_ignored():
    a, b = clip("a", 10), clip("b", 8, 1, priority=100)
    assert run([a, b], 7.5, armed="a", armed_at=at(10)).arm == Arm(b, at(8))
    assert run([a, b], 9, done=frozenset({"a", "b"})) == run([], 9)


def test_same_inputs_same_decision_on_every_node():
    items = [clip("x", 5, priority=3), clip("y", 5, priority=3), clip("z", 5, priority=3)]
    decisions = {
        run(list(order), 4).arm.item.id for order in (items, items[::-1], items[1:] + items[:1])
    }
    assert decisions == {"x"}
