"""Config loading: defaults, the shipped file, bad input and environment overrides."""

from pathlib import Path

import pytest

from controller.config import REPO_ROOT, ConfigError, load_config


def test_shipped_config_loads_with_the_documented_defaults() -> None:
    cfg = load_config(REPO_ROOT / "config.toml", env={})
    assert cfg.site.timezone == "Asia/Ho_Chi_Minh"
    assert cfg.server.port == 8080
    assert cfg.database_url == f"sqlite:///{REPO_ROOT / 'var' / 'truyenthanh.db'}"
    assert cfg.audio.target_lufs == -16.0


def test_every_key_of_the_shipped_file_is_commented() -> None:
    lines = (REPO_ROOT / "config.toml").read_text(encoding="utf-8").splitlines()
    sections = [i for i, line in enumerate(lines) if line.startswith("[")]
    for i in sections:
        # Each section's first key is preceded by a comment somewhere inside the section.
        body = lines[i + 1 : i + 6]
        assert any(line.startswith("#") for line in body), lines[i]


def test_unknown_key_is_refused_with_its_name(tmp_path: Path) -> None:
    file = tmp_path / "c.toml"
    file.write_text("[server]\nprot = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="server.prot"):
        load_config(file, env={})


def test_bad_toml_and_missing_file_are_clear_errors(tmp_path: Path) -> None:
    file = tmp_path / "c.toml"
    file.write_text("[server\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(file, env={})
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_bad_number_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "c.toml"
    file.write_text('[server]\nport = "tám"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="server.port"):
        load_config(file, env={})


def test_env_overrides_secrets_and_relative_paths_follow_the_file(tmp_path: Path) -> None:
    file = tmp_path / "c.toml"
    file.write_text('[database]\nurl = "sqlite:///data/x.db"\n', encoding="utf-8")
    cfg = load_config(file, env={"TT_MQTT_PASSWORD": "s3cret", "TT_MQTT_PORT": "1999"})
    assert cfg.mqtt.password == "s3cret"
    assert cfg.mqtt.port == 1999
    assert cfg.database_url == f"sqlite:///{tmp_path / 'data' / 'x.db'}"


def test_tt_config_env_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / "c.toml"
    file.write_text('[site]\nid = "xa-khac"\n', encoding="utf-8")
    assert load_config(env={"TT_CONFIG": str(file)}).site.id == "xa-khac"
