"""MQTT contract v1 shared by controller and agents: topics, canonical JSON, signed envelopes.

Light on purpose (stdlib + cryptography): a node installs only broadcast_agents.
"""

from . import topics
from .canonical import CanonicalError, canonical_json
from .envelope import (
    Accepted,
    Duplicate,
    EnvelopeVerifier,
    Rejected,
    VerifierState,
    make_envelope,
)
from .jsonsafe import MessageError, decode_json
from .messages import (
    Ack,
    Command,
    Event,
    MediaRef,
    Plan,
    PlanItem,
    State,
    Telemetry,
    parse_ack,
    parse_command,
    parse_event,
    parse_plan,
    parse_plan_item,
    parse_state,
    parse_telemetry,
)
from .signing import (
    generate_key,
    load_private_key,
    load_public_key,
    private_key_from_b64,
    private_key_to_b64,
    public_key_b64,
    save_private_key,
    sign,
    verify,
)
from .timefmt import format_time, parse_time

__all__ = [
    "Accepted", "Ack", "CanonicalError", "Command", "Duplicate", "EnvelopeVerifier", "Event",
    "MediaRef", "MessageError", "Plan", "PlanItem", "Rejected", "State", "Telemetry",
    "VerifierState", "canonical_json", "decode_json", "format_time", "generate_key",
    "load_private_key", "load_public_key", "make_envelope", "parse_ack", "parse_command",
    "parse_event", "parse_plan", "parse_plan_item", "parse_state", "parse_telemetry",
    "parse_time", "private_key_from_b64", "private_key_to_b64", "public_key_b64",
    "save_private_key", "sign", "topics", "verify",
]  # fmt: skip
