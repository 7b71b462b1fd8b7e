"""Settings: one declarative list, four layers, clear errors, all documented, nothing at import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from server.settings import SETTINGS, Settings, SettingsError, load_settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def load(config: Path, environ: dict[str, str] | None = None, **overrides):
    return load_settings(overrides, environ=environ or {}, config_file=config)


def test_the_declarative_list_and_the_settings_struct_agree():
    names = [s.name for s in SETTINGS]
    assert len(set(names)) == len(names)
    assert tuple(names) == Settings.__struct_fields__
    for setting in SETTINGS:
        assert setting.env == "JOBDECK_" + setting.name.upper()
        assert len(setting.description) > 10, setting.name
        if setting.name != "home":
            assert isinstance(setting.default, setting.type), setting.name


def test_defaults_when_nothing_is_given(config, tmp_path):
    settings = load(config, {"JOBDECK_HOME": str(tmp_path / "h")})
    for setting in SETTINGS:
        if setting.name != "home":
            assert getattr(settings, setting.name) == setting.default, setting.name
    assert settings.host == "127.0.0.1" and not settings.lan_mode
    assert settings.database_path == tmp_path / "h" / "jobdeck.sqlite3"


def test_an_empty_home_means_the_platform_data_dir(config, tmp_path):
    settings = load(config, {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")})
    assert settings.home_path.is_absolute()
    assert settings.home_path.name == "jobdeck"


def test_layers_defaults_then_config_then_environment_then_flags(config, tmp_path):
    config.write_text('port = 9001\nlog_level = "debug"\nsession_days = 7\n'
                      'allowed_hosts = ["desk.local"]\nopen_browser = false\n', encoding="utf-8")
    only_file = load(config)
    assert (only_file.port, only_file.log_level, only_file.session_days) == (9001, "debug", 7)
    assert only_file.allowed_hosts == ["desk.local"] and only_file.open_browser is False

    environ = {"JOBDECK_PORT": "9002", "JOBDECK_LOG_LEVEL": "warning", "JOBDECK_OPEN_BROWSER": "yes",
               "JOBDECK_PROXIES": "u:p@one:1, u:p@two:2,", "JOBDECK_HOME": str(tmp_path / "env-home")}
    with_env = load(config, environ)
    assert (with_env.port, with_env.log_level, with_env.session_days) == (9002, "warning", 7)
    assert with_env.open_browser is True and with_env.proxies == ["u:p@one:1", "u:p@two:2"]
    assert with_env.home_path == tmp_path / "env-home"

    flags = load(config, environ, port=9003, log_level=None, home=str(tmp_path / "flag-home"))
    assert flags.port == 9003
    assert flags.log_level == "warning"  # a flag not given (None) changes nothing
    assert flags.home_path == tmp_path / "flag-home"


def test_jobdeck_config_points_at_another_file(tmp_path):
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text("max_concurrent_runs = 5\n", encoding="utf-8")
    settings = load_settings(environ={"JOBDECK_CONFIG": str(elsewhere), "JOBDECK_HOME": str(tmp_path)})
    assert settings.max_concurrent_runs == 5


def test_the_home_is_made_absolute(config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load(config, home="relative/dir").home_path == tmp_path / "relative" / "dir"


@pytest.mark.parametrize("toml, name", [
    ('port = "eighty"', "port"),
    ("port = 8080.7", "port"),
    ("port = true", "port"),
    ('open_browser = "maybe"', "open_browser"),
    ("allowed_hosts = [1, 2]", "allowed_hosts"),
    ("host = 127", "host"),
    ('session_days = "1.5"', "session_days"),
])
def test_a_wrong_type_in_the_config_file_names_the_setting_and_the_file(config, toml, name):
    config.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load(config)
    assert name in str(caught.value) and str(config) in str(caught.value)


@pytest.mark.parametrize("env, value", [
    ("JOBDECK_PORT", "eighty"),
    ("JOBDECK_PORT", "80.5"),
    ("JOBDECK_MAX_BODY_BYTES", "10MB"),
    ("JOBDECK_OPEN_BROWSER", "sometimes"),
])
def test_a_wrong_type_in_the_environment_names_the_variable(config, env, value):
    with pytest.raises(SettingsError) as caught:
        load(config, {env: value})
    assert env in str(caught.value) and repr(value) in str(caught.value)


def test_a_wrong_flag_names_the_flag(config):
    with pytest.raises(SettingsError, match="--max-body-bytes"):
        load(config, max_body_bytes="lots")


@pytest.mark.parametrize("environ, name", [
    ({"JOBDECK_PORT": "70000"}, "port"),
    ({"JOBDECK_PORT": "-1"}, "port"),
    ({"JOBDECK_LOG_LEVEL": "loud"}, "log_level"),
    ({"JOBDECK_MAX_BODY_BYTES": "0"}, "max_body_bytes"),
    ({"JOBDECK_BOARD_RETRIES": "1000"}, "board_retries"),
])
def test_out_of_range_values_are_refused(config, environ, name):
    with pytest.raises(SettingsError, match=name):
        load(config, environ)


def test_an_unknown_key_in_the_config_file_is_refused(config):
    config.write_text("prot = 8080\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting 'prot'"):
        load(config)


def test_a_config_file_that_is_not_toml_is_refused(config):
    config.write_text("port: 8080\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load(config)


def test_settings_are_frozen():
    settings = msgspec.convert({s.name: s.default for s in SETTINGS}, Settings)
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in readme]
    assert missing == [], f"README.md does not document {missing}"
    assert "JOBDECK_CONFIG" in readme


IMPORT_EVERYTHING = r"""
import json, os, pkgutil, sys
from importlib import import_module

read = []
real_getitem = os._Environ.__getitem__

def recording_getitem(self, key):
    if str(key).startswith("JOBDECK_"):
        read.append(key)
    return real_getitem(self, key)

os._Environ.__getitem__ = recording_getitem

import server
from litestar import Litestar

modules = sorted(m.name for m in pkgutil.walk_packages(server.__path__, "server."))
built = []
for name in modules:
    module = import_module(name)
    built += [f"{name}.{attr}" for attr, value in vars(module).items() if isinstance(value, Litestar)]
os._Environ.__getitem__ = real_getitem
print(json.dumps({"modules": modules, "read": read, "built": built}))
"""


def test_importing_the_server_reads_no_setting_and_builds_no_app(tmp_path):
    poisoned_home = tmp_path / "must-not-exist"
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text("this is = = not toml", encoding="utf-8")
    env = {**os.environ, "JOBDECK_HOME": str(poisoned_home), "JOBDECK_PORT": "not-a-port",
           "JOBDECK_LOG_LEVEL": "shouting", "JOBDECK_CONFIG": str(bad_config),
           "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")}
    done = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "server.app" in report["modules"] and "server.cli" in report["modules"]
    assert report["read"] == [], "a JOBDECK_* variable was read at import"
    assert report["built"] == [], "an app was built at import; only create_app() may build one"
    assert not poisoned_home.exists()
    assert not (tmp_path / "xdg-data").exists() and not (tmp_path / "xdg-config").exists()
