"""The last accepted plan envelope and small agent state, kept on disk across restarts."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .protocol import MessageError, Plan, PlanItem, VerifierState, parse_plan, parse_plan_item
from .storage import read_json, write_json_atomic


class PlanStore:
    """Files under the state dir: plan.json, adhoc.json, verifier.json, done.json, volume.json."""

    def __init__(self, state_dir: Path) -> None:
        self.dir = Path(state_dir)
        self.dir.mkdir(parents=True, exist_ok=True)

    def save_plan(self, envelope: dict[str, Any]) -> None:
        write_json_atomic(self.dir / "plan.json", envelope)

    def load_plan(self) -> Plan | None:
        """The stored plan, or None if there is none or it no longer parses."""
        data = read_json(self.dir / "plan.json")
        if data is None:
            return None
        try:
            return parse_plan(data)
        except MessageError:
            return None

    def save_adhoc(self, items: Iterable[PlanItem]) -> None:
        """Accepted `play_now` items (with their start and end) until they finish or expire, so
        a restart during the lead time or mid-play does not lose an emergency."""
        write_json_atomic(self.dir / "adhoc.json", {"items": [i.to_dict() for i in items]})

    def load_adhoc(self) -> dict[str, PlanItem]:
        """The stored `play_now` items by id; entries that no longer parse are left out."""
        data = read_json(self.dir / "adhoc.json", {})
        entries = data.get("items") if isinstance(data, dict) else None
        items: dict[str, PlanItem] = {}
        for entry in entries if isinstance(entries, list) else []:
            try:
                item = parse_plan_item(entry)
            except MessageError:
                continue
            items[item.id] = item
        return items

    def save_verifier(self, state: VerifierState) -> None:
        write_json_atomic(self.dir / "verifier.json", state.to_dict())

    def load_verifier(self) -> VerifierState:
        return VerifierState.from_dict(read_json(self.dir / "verifier.json"))

    def save_done(self, done: dict[str, str]) -> None:
        """Item ids already handled, with their window end, so a restart does not replay them."""
        write_json_atomic(self.dir / "done.json", done)

    def load_done(self) -> dict[str, str]:
        data = read_json(self.dir / "done.json", {})
        return (
            {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}
        )

    def save_volume(self, volume: int) -> None:
        write_json_atomic(self.dir / "volume.json", {"volume": volume})

    def load_volume(self, default: int = 100) -> int:
        data = read_json(self.dir / "volume.json", {})
        value = data.get("volume") if isinstance(data, dict) else None
        return value if isinstance(value, int) and 0 <= value <= 100 else default
