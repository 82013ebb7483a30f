"""Agent configuration: a TOML file (see examples/agent.toml) plus secrets from env vars."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Env vars override the file so secrets need not sit in a world-readable config.
ENV_OVERRIDES = {
    "TT_MQTT_USERNAME": ("mqtt", "username"),
    "TT_MQTT_PASSWORD": ("mqtt", "password"),
    "TT_CONTROLLER_TOKEN": ("controller", "token"),
    "TT_CONTROLLER_PUBLIC_KEY": ("controller", "public_key"),
}


class ConfigError(ValueError):
    """The configuration is missing something or holds a wrong value."""


@dataclass(frozen=True)
class MqttConfig:
    host: str = "127.0.0.1"
    port: int = 1883
    username: str | None = None
    password: str | None = None
    tls: bool = False
    ca_file: str | None = None
    keepalive: int = 30
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 60.0


@dataclass(frozen=True)
class PlayerConfig:
    sink: str = "alsa"
    lead_ms: int = 3000  # prepare (fetch check, decode, open sink) this long before the start
    late_join_ms: int = 5000  # a clip may still start this late, skipping what it missed
    output_latency_ms: int = 0  # hand samples this much early to cover the sink's buffer
    sample_rate: int = 48000


@dataclass(frozen=True)
class GpioConfig:
    amp_pin: int | None = None
    warmup_ms: int = 1500
    idle_off_s: float = 60.0


@dataclass(frozen=True)
class AgentConfig:
    node: str
    zone: str
    site: str
    public_key: str
    base_url: str
    state_dir: Path
    cache_dir: Path
    cache_max_bytes: int = 2 * 1024**3
    token: str | None = None
    mqtt: MqttConfig = field(default_factory=MqttConfig)
    player: PlayerConfig = field(default_factory=PlayerConfig)
    gpio: GpioConfig = field(default_factory=GpioConfig)
    ntp_server: str | None = None
    ntp_interval_s: float = 600.0
    telemetry_interval_s: float = 30.0


def load_config(path: Path | str, env: Mapping[str, str] | None = None) -> AgentConfig:
    """Read and validate the TOML file; `env` defaults to os.environ."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    return config_from_dict(data, os.environ if env is None else env)


def config_from_dict(data: dict[str, Any], env: Mapping[str, str]) -> AgentConfig:
    for var, (section, key) in ENV_OVERRIDES.items():
        if env.get(var):
            data.setdefault(section, {})[key] = env[var]
    node, mqtt, ctl = data.get("node", {}), data.get("mqtt", {}), data.get("controller", {})
    player, cache, state = data.get("player", {}), data.get("cache", {}), data.get("state", {})
    gpio, clock = data.get("gpio", {}), data.get("clock", {})
    try:
        return AgentConfig(
            node=_req(node, "node", "id"),
            zone=_req(node, "node", "zone"),
            site=_req(node, "node", "site"),
            public_key=_req(ctl, "controller", "public_key"),
            base_url=str(ctl.get("base_url", "")).rstrip("/"),
            token=ctl.get("token") or None,
            state_dir=Path(_req(state, "state", "dir")),
            cache_dir=Path(_req(cache, "cache", "dir")),
            cache_max_bytes=int(cache.get("max_bytes", 2 * 1024**3)),
            mqtt=MqttConfig(**_known(mqtt, MqttConfig)),
            player=PlayerConfig(**_known(player, PlayerConfig)),
            gpio=GpioConfig(**_known(gpio, GpioConfig)),
            ntp_server=clock.get("ntp_server") or None,
            ntp_interval_s=float(clock.get("interval_s", 600.0)),
            telemetry_interval_s=float(data.get("telemetry", {}).get("interval_s", 30.0)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc)) from exc


def _req(section: Mapping[str, Any], name: str, key: str) -> Any:
    value = section.get(key)
    if value in (None, ""):
        raise ConfigError(f"[{name}] {key} is required")
    return value


def _known(section: Mapping[str, Any], cls: type) -> dict[str, Any]:
    fields = cls.__dataclass_fields__
    unknown = set(section) - set(fields)
    if unknown:
        raise ConfigError(f"unknown keys for {cls.__name__}: {sorted(unknown)}")
    return dict(section)
