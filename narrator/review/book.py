"""A finished book as ``narrate redo`` and ``narrate accept`` find it: the parameters of
its last run, its folder and its manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from narrator.atomic import write_text_atomic
from narrator.config import NarrationParams
from narrator.engines import engine_kind
from narrator.errors import ConfigError
from narrator.review.page import FixCommands, write_review
from narrator.store import BookPaths


def _settled(params: NarrationParams) -> NarrationParams:
    """``params`` as the run used them: paths absolute, so a later command may run from any
    folder, and the engine the run chose, so that setting an API key later does not make
    ``narrate redo`` speak one chunk with another voice. The setting names only remote or
    embedded; which embedded engine speaks follows from the voice again."""
    return params.model_copy(
        update={
            "engine": "remote" if engine_kind(params) == "remote" else "embedded",
            "manuscript": params.manuscript.resolve(),
            "out_dir": params.out_dir.resolve(),
            "cover": params.cover.resolve() if params.cover else None,
        }
    )


def review_book(params: NarrationParams, paths: BookPaths) -> Path:
    """Remember the finished run's parameters and write its review page; return the page."""
    params = _settled(params)
    write_text_atomic(paths.run_record, params.model_dump_json(indent=1) + "\n")
    return write_review(paths, FixCommands(params.manuscript, params.out_dir))


@dataclass(frozen=True)
class FinishedBook:
    """A book narrated to the end: its last run's parameters, its folder and its manifest."""

    params: NarrationParams
    paths: BookPaths
    manifest: dict[str, Any]

    def chunk(self, chunk_id: str) -> dict[str, Any]:
        """The manifest's record of chunk ``chunk_id``; ConfigError naming the book if none."""
        chunks = [c for ch in self.manifest["chapters"] for c in ch["chunks"]]
        for c in chunks:
            if c["id"] == chunk_id:
                return c
        raise ConfigError(
            f"{self.paths.manifest}: the book has no chunk {chunk_id!r} "
            f"(its chunks are {chunks[0]['id']} to {chunks[-1]['id']})",
            hint=f"copy the chunk id from {self.paths.review} or the manifest",
        )


def find_book(manuscript: Path, out_dir: Path) -> FinishedBook:
    """The book narrated from ``manuscript`` into ``out_dir``.

    Raises ConfigError when no finished book under ``out_dir`` was narrated from it,
    or when more than one was (under different titles).
    """
    source = manuscript.resolve()
    found = []
    for record in sorted(out_dir.glob("*/cache/run.json")):
        try:
            params = NarrationParams.model_validate_json(record.read_text(encoding="utf-8"))
        except (OSError, ValidationError):
            continue  # not a run record this version wrote; not this book's
        paths = BookPaths.for_book(record.parents[2], record.parents[1].name)
        if params.manuscript == source and paths.manifest.is_file():
            found.append((params, paths))
    if not found:
        raise ConfigError(
            f"no finished book of {manuscript} under {out_dir}",
            hint=f"narrate it first (narrate run {manuscript} --out {out_dir}), or pass the "
            "--out folder it was narrated into",
        )
    if len(found) > 1:
        folders = ", ".join(str(p.root) for _, p in found)
        raise ConfigError(
            f"{manuscript} was narrated into several books under {out_dir}: {folders}",
            hint="delete the folders of the books you no longer want, then try again",
        )
    params, paths = found[0]
    manifest = json.loads(paths.manifest.read_text(encoding="utf-8"))
    return FinishedBook(params=params, paths=paths, manifest=manifest)
