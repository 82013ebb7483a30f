"""The durable outbox: queued while offline, delivered after reconnect, deleted only on PUBACK."""

import threading

from broadcast_agents.events import EventQueue, Outbox


class FakeLink:
    """Records publishes; the test decides when the broker 'acknowledges' a mid."""

    def __init__(self):
        self.connected = False
        self.sent: list[tuple[int, str, bytes]] = []
        self._mid = 0
        self.published = threading.Condition()
        self.ack_immediately = None  # an Outbox to ack inside publish(), before it returns

    def is_connected(self):
        return self.connected

    def publish(self, topic, payload, qos=1, retain=False):
        with self.published:
            self._mid += 1
            self.sent.append((self._mid, topic, payload))
            self.published.notify_all()
        if self.ack_immediately:
            self.ack_immediately.on_published(self._mid)
        return self._mid

    def wait_sent(self, n, timeout=5):
        with self.published:
            return self.published.wait_for(lambda: len(self.sent) >= n, timeout)


def test_offline_events_wait_on_disk_and_leave_only_after_puback(tmp_path):
    link = FakeLink()
    queue = EventQueue(tmp_path / "q.sqlite")
    outbox = Outbox(queue, link)
    outbox.start()
    try:
        outbox.put("t/event", b"1")
        outbox.put("t/event", b"2")
        assert len(queue) == 2 and link.sent == []
        link.connected = True
        outbox.kick()
        assert link.wait_sent(2)
        assert [p for _, _, p in link.sent] == [b"1", b"2"]
        assert len(queue) == 2  # no PUBACK yet: still on disk
        outbox.on_published(link.sent[0][0])
        assert len(queue) == 1
        outbox.kick()  # a kick must not hand an in-flight row to paho a second time
        outbox.put("t/event", b"3")
        assert link.wait_sent(3)
        assert [p for _, _, p in link.sent] == [b"1", b"2", b"3"]
        outbox.on_published(link.sent[1][0])
        outbox.on_published(link.sent[2][0])
        assert outbox.drained.wait(5) and len(queue) == 0
    finally:
        outbox.stop()


def test_queue_survives_a_restart_and_is_resent(tmp_path):
    path = tmp_path / "q.sqlite"
    first = EventQueue(path)
    first.append("t/event", b"kept")
    first.close()
    link = FakeLink()
    link.connected = True
    outbox = Outbox(EventQueue(path), link)
    link.ack_immediately = outbox  # PUBACK racing ahead of publish() returning
    outbox.start()
    try:
        assert outbox.drained.wait(5)
        assert [p for _, _, p in link.sent] == [b"kept"]
        assert len(outbox.queue) == 0
    finally:
        outbox.stop()
