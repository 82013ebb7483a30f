"""Controller configuration: typed settings loaded from a TOML file with safe defaults.

Every section is a dataclass whose defaults mirror the shipped ``config.toml``. Secrets are read
from environment variables (``TT_*``) so that they never need to sit in a file in the repo.
Relative paths are resolved against the directory that holds the config file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """The configuration file is missing, unreadable or has a bad value."""


@dataclass
class SiteConfig:
    id: str = "xa-binh-yen"
    name: str = "Xã Bình Yên"
    timezone: str = "Asia/Ho_Chi_Minh"
    zone_label: str = "Thôn"


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = "http://127.0.0.1:8080"
    threads: int = 8
    secure_cookies: bool = False
    secret_key_file: str = "var/secret_key"
    # Reverse proxies in front (their X-Forwarded-For is trusted for the login rate limit).
    trusted_proxies: int = 0


@dataclass
class DatabaseConfig:
    url: str = "sqlite:///var/truyenthanh.db"


@dataclass
class MqttConfig:
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = ""
    tls: bool = False
    client_id: str = "tt-controller"
    # Off: every replica subscribes to node reports directly and ingest stores them
    # idempotently. On ($share/...) spreads them over replicas, but NATS has no $share and
    # Mosquitto 2.0 does not restore a shared subscription of an offline session after a
    # broker restart, losing the reports sent meanwhile (docs/scale.md).
    shared_subscriptions: bool = False


@dataclass
class StorageConfig:
    media_dir: str = "audio_library/store"


@dataclass
class SigningConfig:
    private_key: str = "var/signing_key"


@dataclass
class AudioConfig:
    target_lufs: float = -16.0
    true_peak_db: float = -1.0
    max_duration_s: int = 3600
    max_upload_bytes: int = 200 * 1024 * 1024
    format: str = "mp3"
    sample_rate: int = 48000
    bitrate: str = "64k"
    trim_silence: bool = False


@dataclass
class TtsConfig:
    engines: list[str] = field(default_factory=lambda: ["gtts", "espeak"])
    timeout_s: float = 20.0
    voice: str = "vi"
    speed: float = 1.0
    job_threshold_chars: int = 600
    gtts_base_url: str = ""
    command: list[str] = field(default_factory=list)
    # Skip an engine for this long after it fails (e.g. Google unreachable).
    cooldown_s: float = 60.0
    # Per-engine options, e.g. {"piper": {"type": "command", "argv": [...]}}.
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlanConfig:
    horizon_h: int = 48
    refresh_min: int = 10


@dataclass
class DispatchConfig:
    lead_ms: int = 3000
    command_ttl_s: int = 60


@dataclass
class QuietHoursConfig:
    start: str = "22:00"
    end: str = "05:00"


@dataclass
class SecurityConfig:
    login_rate: str = "10 per minute"
    ratelimit_storage: str = "memory://"


@dataclass
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    server: ServerConfig = field(default_factory=ServerConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    mqtt: MqttConfig = field(default_factory=MqttConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    signing: SigningConfig = field(default_factory=SigningConfig)
    audio: AudioConfig = field(default_factory=AudioConfig)
    tts: TtsConfig = field(default_factory=TtsConfig)
    plan: PlanConfig = field(default_factory=PlanConfig)
    dispatch: DispatchConfig = field(default_factory=DispatchConfig)
    quiet_hours: QuietHoursConfig = field(default_factory=QuietHoursConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    # Directory relative paths are resolved against (the config file's folder).
    base_dir: Path = REPO_ROOT

    def path(self, value: str) -> Path:
        """Resolve a configured path against the config file's directory."""
        p = Path(value)
        return p if p.is_absolute() else (self.base_dir / p)

    @property
    def database_url(self) -> str:
        """The database URL with a relative SQLite path made absolute."""
        url = self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str(self.path(url[len(prefix) :]))
        return url


_ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "TT_DATABASE_URL": ("database", "url"),
    "TT_MQTT_HOST": ("mqtt", "host"),
    "TT_MQTT_PORT": ("mqtt", "port"),
    "TT_MQTT_USERNAME": ("mqtt", "username"),
    "TT_MQTT_PASSWORD": ("mqtt", "password"),
    "TT_SITE_ID": ("site", "id"),
}


def _coerce(section: Any, key: str, value: Any, where: str) -> Any:
    expected = {f.name: f for f in fields(section)}[key].type
    try:
        if expected in ("int", int):
            return int(value)
        if expected in ("float", float):
            return float(value)
        if expected in ("bool", bool):
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: giá trị không hợp lệ (bad value) {value!r} ({exc})") from exc
    return value


def _apply(config: Config, data: dict[str, Any]) -> None:
    for section_name, values in data.items():
        section = getattr(config, section_name, None)
        if section is None or not is_dataclass(section) or not isinstance(values, dict):
            raise ConfigError(f"mục cấu hình không tồn tại (unknown section) [{section_name}]")
        known = {f.name for f in fields(section)}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(f"khóa cấu hình không tồn tại (unknown key) {section_name}.{key}")
            setattr(section, key, _coerce(section, key, value, f"{section_name}.{key}"))


def load_config(
    path: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None
) -> Config:
    """Load the config file and apply ``TT_*`` environment overrides.

    The file is ``path``, else ``$TT_CONFIG``, else the repo's ``config.toml`` (defaults if absent).
    """
    env = dict(os.environ) if env is None else env
    shipped = REPO_ROOT / "config.toml"
    path = path or env.get("TT_CONFIG") or (shipped if shipped.exists() else None)
    config = Config()
    if path:
        file = Path(path)
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(
                f"không tìm thấy tệp cấu hình (config file not found): {file}"
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"tệp cấu hình {file} sai cú pháp TOML (not valid TOML): {exc}"
            ) from exc
        config.base_dir = file.resolve().parent
        _apply(config, data)
    for var, (section, key) in _ENV_OVERRIDES.items():
        if env.get(var):
            _apply(config, {section: {key: env[var]}})
    return config
