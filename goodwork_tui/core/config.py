"""Settings that stick: language, theme, a keymap and the room's port, in a small TOML file.

The file lives in the user config folder (platformdirs); $GOODWORK_CONFIG points
elsewhere (tests, portable installs). A broken file never stops the app: it is read
as empty, left untouched, and the problem is reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_atomic

ENV_VAR = "GOODWORK_CONFIG"
DEFAULT_ROOM_PORT = 8765


def config_path() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("goodwork", appauthor=False)) / "config.toml"


@dataclass
class Config:
    path: Path
    lang: str | None = None
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    room_port: int = DEFAULT_ROOM_PORT  # [room] port: where "Open the room" listens
    problem: str | None = None  # why the file could not be read, if it could not

    @classmethod
    def load(cls, path: Path | None = None) -> Config:
        path = path or config_path()
        config = cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return config
        except (OSError, UnicodeDecodeError) as error:
            config.problem = f"{path}: {error}"
            return config
        import tomllib  # only when there is a file to read

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            config.problem = f"{path}: {error}"
            return config
        if isinstance(data.get("lang"), str):
            config.lang = data["lang"]
        if isinstance(data.get("theme"), str):
            config.theme = data["theme"]
        keymap = data.get("keymap")
        if isinstance(keymap, dict):
            config.keymap = {str(k): str(v) for k, v in keymap.items() if isinstance(v, str)}
        room = data.get("room")
        port = room.get("port") if isinstance(room, dict) else None
        if port is not None:
            if isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535:
                config.room_port = port
            else:  # the rest of the file still counts; the port falls back to the default
                config.problem = f"{path}: [room] port must be a number from 1 to 65535"
        return config

    def to_toml(self) -> str:
        lines = ["# Goed Werk settings. [keymap] maps a binding id to keys, e.g.",
                 '# search = "ctrl+f"']
        if self.lang:
            lines.append(f"lang = {_toml_string(self.lang)}")
        if self.theme:
            lines.append(f"theme = {_toml_string(self.theme)}")
        lines.append("")
        if self.room_port != DEFAULT_ROOM_PORT:
            lines.append("[room]")
            lines.append(f"port = {int(self.room_port)}")
            lines.append("")
        lines.append("[keymap]")
        for key, value in sorted(self.keymap.items()):
            lines.append(f"{_toml_string(key)} = {_toml_string(value)}")
        return "\n".join(lines) + "\n"

    def save(self) -> None:
        """Write the settings; a file we could not read is never overwritten."""
        if self.problem:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, self.to_toml().encode("utf-8"))


def _toml_string(text: str) -> str:
    import json

    # JSON strings, not ASCII-escaped (TOML has no surrogate pairs), are TOML basic strings
    return json.dumps(text, ensure_ascii=False)
