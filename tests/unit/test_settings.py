"""Settings: defaults < config file < PGWATCH_* env < command line, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgwatch_tui.core.errors import UsageError
from pgwatch_tui.core.settings import Settings, build_settings, default_config_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_apply_when_nothing_is_given(tmp_path: Path) -> None:
    settings = build_settings(config_path=None, environ={"XDG_CONFIG_HOME": str(tmp_path)}, cli={})
    assert settings == Settings()
    assert settings.refresh == 2.0
    assert settings.statement_timeout_ms == 2000
    assert settings.lock_timeout_ms == 500
    assert settings.read_only is False


def test_default_config_path_follows_xdg(tmp_path: Path) -> None:
    assert default_config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == (
        tmp_path / "pgwatch" / "config.toml"
    )


def test_default_config_file_is_read_when_present(tmp_path: Path) -> None:
    write(tmp_path / "pgwatch" / "config.toml", "refresh = 5\nslow_statement_ms = 250\n")
    settings = build_settings(config_path=None, environ={"XDG_CONFIG_HOME": str(tmp_path)}, cli={})
    assert settings.refresh == 5
    assert settings.slow_statement_ms == 250


def test_precedence_is_file_then_env_then_command_line(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", "refresh = 5\nlong_query_s = 30\nread_only = false\n")
    env = {"PGWATCH_REFRESH": "7", "PGWATCH_READ_ONLY": "true"}
    settings = build_settings(config_path=config, environ=env, cli={"refresh": 9.0})
    assert settings.refresh == 9.0  # command line beats env and file
    assert settings.read_only is True  # env beats file
    assert settings.long_query_s == 30  # file beats default


def test_unset_command_line_options_do_not_override(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", "refresh = 5\n")
    settings = build_settings(config_path=config, environ={}, cli={"refresh": None})
    assert settings.refresh == 5


def test_unknown_config_key_is_rejected_by_name(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", "refresh_rate = 5\n")
    with pytest.raises(UsageError, match="unknown key 'refresh_rate'"):
        build_settings(config_path=config, environ={}, cli={})


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", "refresh = = 5\n")
    with pytest.raises(UsageError, match=r"c\.toml is not valid TOML"):
        build_settings(config_path=config, environ={}, cli={})


def test_missing_named_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        build_settings(config_path=tmp_path / "nope.toml", environ={}, cli={})


def test_unreadable_config_file_is_an_error(tmp_path: Path) -> None:
    directory = tmp_path / "a-directory.toml"
    directory.mkdir()
    with pytest.raises(UsageError, match="cannot read config file"):
        build_settings(config_path=directory, environ={}, cli={})


def test_config_file_with_invalid_utf8_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_bytes(b"refresh = 5 # \xff\xfe\n")
    with pytest.raises(UsageError, match="cannot read config file"):
        build_settings(config_path=config, environ={}, cli={})


@pytest.mark.parametrize("value", [0.1, 0.49, 60.5, 1000])
def test_refresh_out_of_range_is_refused_naming_the_option(value: float) -> None:
    with pytest.raises(UsageError, match=r"--refresh: input should be .* \(got"):
        build_settings(config_path=None, environ={}, cli={"refresh": value})


def test_bad_env_value_names_the_variable() -> None:
    with pytest.raises(UsageError, match="PGWATCH_LOCK_TIMEOUT_MS"):
        build_settings(config_path=None, environ={"PGWATCH_LOCK_TIMEOUT_MS": "soon"}, cli={})


def test_bad_config_value_names_file_and_key(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", "refresh = 0\n")
    with pytest.raises(UsageError, match=r"c\.toml: refresh"):
        build_settings(config_path=config, environ={}, cli={})


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.refresh = 3  # type: ignore[misc]
