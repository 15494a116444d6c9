STRINGS: dict[str, str] = {}
