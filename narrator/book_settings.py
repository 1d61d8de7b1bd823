"""Per-book settings: ``book.toml`` beside the manuscript, under the command line's flags.

::

    # inputs/the-keeper-of-tern-rock/book.toml (or book.toml beside the manuscript)
    title = "The Keeper of Tern Rock"
    author = "A. Writer"
    narrator = "Joe"            # the narrator credit in the M4B
    voice = "af_heart"          # offline it picks the engine (Kokoro); remotely, the voice
    dialogue_voice = "am_michael"  # quoted speech in a second voice
    speed = 1.05
    language = "fr"             # BCP 47; default: stated by the manuscript, else detected
    engine = "embedded"
    master = "acx"              # acx, ebu-r128, podcast or none
    cover = "cover.jpg"         # paths are relative to book.toml's folder
    lexicon = "lexicon.toml"

A flag given on the command line wins over book.toml, and book.toml over the default;
``settings_in_force`` says which one each setting came from, for ``narrate plan``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from narrator.config import NarrationParams, master_settings
from narrator.errors import ConfigError

BOOK_FILE = "book.toml"

BOOK_KEYS: dict[str, type] = {
    "title": str,
    "author": str,
    "narrator": str,
    "voice": str,
    "dialogue_voice": str,
    "language": str,
    "speed": float,
    "engine": str,
    "master": str,
    "cover": Path,
    "lexicon": Path,
}
"""The keys book.toml may hold, and the TOML type of each (a Path is a string)."""

FLAG = "flag"
BOOK = "book.toml"
DEFAULT = "default"


def find_book_file(manuscript: Path) -> Path | None:
    """``<manuscript folder>/<name>/book.toml`` (``inputs/<book>/book.toml``), else
    ``book.toml`` beside the manuscript, else None (always None for standard input)."""
    if str(manuscript) == "-":
        return None
    candidates = (manuscript.with_suffix("") / BOOK_FILE, manuscript.parent / BOOK_FILE)
    return next((path for path in candidates if path.is_file()), None)


def load_book_file(path: Path) -> dict[str, Any]:
    """The settings of a book.toml, checked for syntax, unknown keys and value types;
    cover and lexicon paths made relative to the file's folder.

    Raises ConfigError naming the file and the key.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: not valid TOML: {exc}",
            hint='write one setting a line, e.g. title = "My Book"',
        ) from exc
    settings: dict[str, Any] = {}
    for key, value in data.items():
        if key not in BOOK_KEYS:
            raise ConfigError(
                f"{path}: unknown setting {key!r}",
                hint=f"book.toml may set {', '.join(BOOK_KEYS)}",
            )
        kind = BOOK_KEYS[key]
        numeric = kind is float and isinstance(value, int | float) and not isinstance(value, bool)
        if not (numeric or (kind is not float and isinstance(value, str) and value.strip())):
            raise ConfigError(
                f"{path}: {key} = {value!r} is not {'a number' if kind is float else 'a text'}",
                hint=f"write {key} as {'a number, e.g. 1.1' if kind is float else 'a quoted text'}",
            )
        settings[key] = path.parent / value if kind is Path else value
    return settings


def apply_book_settings(
    params: NarrationParams, book: dict[str, Any], source: Path, given: Collection[str]
) -> NarrationParams:
    """``params`` with every book setting not ``given`` on the command line applied.

    Raises ConfigError naming ``source`` and the key when a value is out of range or
    not one of the accepted choices.
    """
    update: dict[str, Any] = params.model_dump()
    for key, value in book.items():
        if key in given:
            continue
        if key == "master":
            try:
                update["master"] = master_settings(value).model_dump()
            except ConfigError as exc:
                raise ConfigError(f"{source}: master: {exc.message}", hint=exc.hint) from None
        else:
            update[key] = value
    try:
        return NarrationParams.model_validate(update)
    except ValidationError as exc:
        problem = exc.errors()[0]
        key = ".".join(str(part) for part in problem["loc"])
        raise ConfigError(
            f"{source}: {key} = {book.get(key)!r}: {problem['msg']}",
            hint=f"fix {key} in {source}, or override it with a command-line flag",
        ) from None


def settings_in_force(
    params: NarrationParams, book: Collection[str], given: Collection[str]
) -> dict[str, tuple[Any, str]]:
    """Each book setting's value in ``params`` and where it came from: "flag" (the
    command line), "book.toml" or "default". A None title, author or narrator means the
    manuscript's own (or the voice, for the narrator); a None voice the engine's default."""
    values = {
        "title": params.title,
        "author": params.author,
        "narrator": params.narrator,
        "voice": params.voice,
        "dialogue_voice": params.dialogue_voice,
        "language": params.language,
        "speed": params.speed,
        "engine": params.engine,
        "master": params.master.preset,
        "cover": params.cover,
        "lexicon": params.lexicon,
    }
    return {
        key: (values[key], FLAG if key in given else BOOK if key in book else DEFAULT)
        for key in BOOK_KEYS
    }
