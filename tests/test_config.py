"""Settings: load/save round trip; a broken file is reported and never overwritten."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from goodwork_tui.core.config import Config, config_path


def test_config_path_comes_from_the_environment(isolated_settings: Path) -> None:
    assert config_path() == isolated_settings / "config.toml"


def test_config_path_default_is_the_user_config_dir(monkeypatch: pytest.MonkeyPatch,
                                                    isolated_settings: Path) -> None:
    monkeypatch.delenv("GOODWORK_CONFIG")
    if sys.platform.startswith("linux"):
        assert config_path() == isolated_settings / "config" / "goodwork" / "config.toml"
    else:
        assert config_path().name == "config.toml"


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "nothing.toml"
    config = Config.load(path)
    assert config == Config(path)
    assert (config.lang, config.theme, config.keymap, config.problem) == (None, None, {}, None)
    assert not path.exists()  # loading never creates the file


def test_load_without_a_path_uses_config_path(isolated_settings: Path) -> None:
    (isolated_settings / "config.toml").write_text('lang = "nl"\n', encoding="utf-8")
    config = Config.load()
    assert config.path == isolated_settings / "config.toml"
    assert config.lang == "nl"


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "config.toml"
    keymap = {"search": "ctrl+f", "quit": "ctrl+q", "problems": "f7"}
    Config(path, lang="nl", theme="textual-light", keymap=keymap).save()
    assert path.is_file()
    loaded = Config.load(path)
    assert (loaded.lang, loaded.theme, loaded.keymap, loaded.problem) == (
        "nl", "textual-light", keymap, None)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["keymap"] == keymap


def test_round_trip_of_awkward_text(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    keymap = {'quote"d': 'back\\slash', "ünïcode": "ctrl+é", "new\nline": "tab\t", "a b": ""}
    Config(path, lang="en", theme='the "dark" one', keymap=keymap).save()
    loaded = Config.load(path)
    assert loaded.problem is None
    assert loaded.theme == 'the "dark" one'
    assert loaded.keymap == keymap


def test_round_trip_of_text_outside_the_bmp(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    Config(path, lang="nl", keymap={"search": "😀"}).save()
    loaded = Config.load(path)
    assert loaded.problem is None
    assert loaded.lang == "nl"
    assert loaded.keymap == {"search": "😀"}


def test_save_overwrites_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    Config(path, lang="nl", theme="a").save()
    config = Config.load(path)
    config.lang = "en"
    config.theme = None
    config.keymap["search"] = "ctrl+k"
    config.save()
    again = Config.load(path)
    assert (again.lang, again.theme, again.keymap) == ("en", None, {"search": "ctrl+k"})
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temp files left


def test_broken_toml_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = b'lang = "nl"\ntheme = \n[keymap\n'
    path.write_bytes(broken)
    config = Config.load(path)
    assert config.problem is not None
    assert str(path) in config.problem
    assert (config.lang, config.theme, config.keymap) == (None, None, {})

    config.lang = "en"
    config.keymap["search"] = "ctrl+f"
    config.save()
    assert path.read_bytes() == broken
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_not_utf8_config_is_reported_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    data = b'theme = "caf\xe9"\n'
    path.write_bytes(data)
    config = Config.load(path)
    assert config.problem is not None and str(path) in config.problem
    config.save()
    assert path.read_bytes() == data


def test_unreadable_config_path_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()  # a folder where the file should be
    config = Config.load(folder)
    assert config.problem is not None
    config.save()
    assert folder.is_dir()


def test_wrong_types_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('lang = 3\ntheme = ["a"]\n[keymap]\nsearch = "ctrl+f"\nquit = 5\n',
                    encoding="utf-8")
    config = Config.load(path)
    assert config.problem is None
    assert (config.lang, config.theme, config.keymap) == (None, None, {"search": "ctrl+f"})


def test_keymap_that_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('lang = "en"\nkeymap = "ctrl+f"\n', encoding="utf-8")
    config = Config.load(path)
    assert (config.lang, config.keymap, config.problem) == ("en", {}, None)


def test_saved_file_is_valid_toml_with_only_what_is_set(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    Config(path).save()
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"keymap": {}}


# ---------------------------------------------------------------- [room] port


def test_room_port_defaults_to_8765(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('lang = "nl"\n', encoding="utf-8")
    assert Config.load(path).room_port == 8765
    assert Config.load(tmp_path / "missing.toml").room_port == 8765


def test_room_port_is_read_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "x"\n\n[room]\nport = 9000\n\n[keymap]\nsearch = "ctrl+f"\n',
                    encoding="utf-8")
    config = Config.load(path)
    assert (config.room_port, config.theme, config.keymap, config.problem) == (
        9000, "x", {"search": "ctrl+f"}, None)
    config.lang = "en"
    config.save()
    again = Config.load(path)
    assert (again.room_port, again.lang, again.keymap) == (9000, "en", {"search": "ctrl+f"})
    assert tomllib.loads(path.read_text(encoding="utf-8"))["room"] == {"port": 9000}


def test_default_room_port_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    Config(path, lang="nl").save()
    assert "[room]" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ['"8765"', "0", "70000", "true", "-1", "80.5"])
def test_a_bad_room_port_is_reported_and_the_rest_still_counts(tmp_path: Path,
                                                               value: str) -> None:
    path = tmp_path / "config.toml"
    text = f'lang = "nl"\n[room]\nport = {value}\n'
    path.write_text(text, encoding="utf-8")
    config = Config.load(path)
    assert config.room_port == 8765
    assert config.lang == "nl"
    assert config.problem is not None and "[room] port" in config.problem
    config.save()  # a file we could not fully read is never overwritten
    assert path.read_text(encoding="utf-8") == text
