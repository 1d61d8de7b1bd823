"""A book's pronunciation lexicon: words and phrases the engine is sent respelled.

A lexicon is TOML, one entry a line, the word or phrase as written on the left and what
the engine should read on the right::

    Hermione = "Her-MY-oh-nee"
    "Tern Rock" = "Turn Rock"
    quay = "key"

Matching is whole-word, in any script ("Élodie", "राम"; Chinese and Japanese words,
written without spaces, are matched inside running text). An entry with a capital
letter matches only that spelling ("Reading" the town, not "reading"); an
all-lower-case entry matches any case. Entries
are matched against the text as the engine gets it (``Chunk.spoken``: abbreviations and
numbers already in words), longest first, so a phrase wins over a word inside it.

The respelling is for the engine only: a chunk records which entries it used
(``Chunk.respelled``) and verification compares the written word, counting the
transcriber's spelling of either the word or its respelling as right.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from pydantic import Field

from narrator.errors import ConfigError
from narrator.models import Chunk, Frozen
from narrator.text.language import ENGLISH
from narrator.text.normalize import normalize_words

_EXAMPLE = 'Hermione = "Her-MY-oh-nee"'


class Lexicon(Frozen):
    """Written word or phrase -> what the engine reads instead."""

    entries: tuple[tuple[str, str], ...] = Field(
        default=(), description="(written, respelling) pairs, longest written form first"
    )

    def respell(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` with every entry's whole-word matches respelled, and the entries used."""
        used = []
        for written, said in self.entries:
            text, count = _pattern(written).subn(lambda _m, said=said: said, text)
            if count:
                used.append((written, said))
        return text, tuple(used)


# What continues a word: letters and digits (``\w``), a hyphen, as it joins names
# ("Tern-Rock" is not "Tern"), and the combining marks ``\w`` leaves out, such as
# Devanagari vowel signs ("राम" is not the start of "रामायण" nor of "रामा").
_JOINS = r"[-\w\u0300-\u036f\u0900-\u0963\u0966-\u0dff]"
# Han and kana: Chinese and Japanese have no spaces, so a word there is matched anywhere.
_UNSPACED = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@cache
def _pattern(written: str) -> re.Pattern[str]:
    """Whole-word matcher of ``written``: case-sensitive when it has a capital.

    An edge of ``written`` that is a Chinese or Japanese character is matched inside
    running text ("北京" in "在北京市"), since those languages write no spaces."""
    flags = 0 if any(c.isupper() for c in written) else re.IGNORECASE
    before = "" if _UNSPACED.match(written[0]) else f"(?<!{_JOINS})"
    after = "" if _UNSPACED.match(written[-1]) else f"(?!{_JOINS})"
    return re.compile(f"{before}{re.escape(written)}{after}", flags)


def lexicon_from(entries: Mapping[str, object], source: Path) -> Lexicon:
    """Check a TOML table of entries read from ``source`` and build the lexicon.

    Raises ConfigError naming the file and the entry when a value is not a non-empty
    string or a key is empty.
    """
    pairs = []
    for written, said in entries.items():
        if not isinstance(said, str) or not said.strip() or not written.strip():
            raise ConfigError(
                f"{source}: lexicon entry {written!r} = {said!r} is not a word and its respelling",
                hint=f"write each entry as a quoted respelling, e.g. {_EXAMPLE}",
            )
        pairs.append((" ".join(written.split()), " ".join(said.split())))
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    return Lexicon(entries=tuple(pairs))


def load_lexicon(path: Path) -> Lexicon:
    """Read a lexicon TOML file. Raises ConfigError naming the file when it is missing,
    is not valid TOML, or has an entry that is not a word and its respelling."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"lexicon {path} does not exist",
            hint="check the path, or remove the lexicon setting",
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: not a valid TOML lexicon: {exc}",
            hint=f"write one entry a line, e.g. {_EXAMPLE}",
        ) from exc
    return lexicon_from(data, path)


def respell_chunks(chunks: Iterable[Chunk], lexicon: Lexicon) -> tuple[Chunk, ...]:
    """The chunks with the lexicon applied to what the engine is sent.

    A chunk that no entry matches is returned unchanged, so its cache key (a hash of
    ``spoken``) and its audio stay; a chunk whose entries changed gets a new key.
    """
    respelled = []
    for chunk in chunks:
        spoken, used = lexicon.respell(chunk.spoken)
        respelled.append(chunk.model_copy(update={"spoken": spoken, "respelled": used}))
    return tuple(respelled)


def unrespell(
    words: list[str], respelled: Iterable[tuple[str, str]], *, language: str = ENGLISH
) -> list[str]:
    """Normalized ``words`` with each respelling's words put back as the written word's.

    Applied to both the expected and the heard words, so that a transcript that spells
    the respelling ("her my oh nee") or the real name ("Hermione") matches the text.
    ``language`` is the book's (BCP 47), by whose rules ``words`` were normalized.
    """
    for written, said in respelled:
        target = normalize_words(said, language=language)
        replacement = normalize_words(written, language=language)
        if not target or target == replacement:
            continue
        out: list[str] = []
        i = 0
        while i < len(words):
            if words[i : i + len(target)] == target:
                out.extend(replacement)
                i += len(target)
            else:
                out.append(words[i])
                i += 1
        words = out
    return words
