"""Delivery options end to end: a mastering preset, extra chapter formats, parts for long
chapters, a cover and tags, and the run's own compliance check in the manifest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import av
import mutagen
import pytest

from narrator.config import NarrationParams, master_settings

pytestmark = pytest.mark.slow

# A valid 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_ebu_preset_formats_parts_cover_and_self_check(
    prefect_harness: None, tiny_book: Path, tmp_path: Path
) -> None:
    from flows.narrate import narrate_book

    book = tmp_path / "tiny.md"
    shutil.copy(tiny_book, book)
    (tmp_path / "tiny.png").write_bytes(PNG)
    params = NarrationParams(
        manuscript=book,
        out_dir=tmp_path / "out",
        author="Test Author",
        master=master_settings("ebu-r128"),
        formats=("flac", "opus"),
        max_part_minutes=0.1,  # 6 s: chapter One (about 9 s) becomes two parts
        year=2025,
    )
    result = narrate_book(params)
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))

    titles = [c["title"] for c in manifest["chapters"]]
    assert titles == ["One (Part 1 of 2)", "One (Part 2 of 2)", "Two"]
    for chapter in manifest["chapters"]:
        check = chapter["check"]
        assert check["preset"] == "ebu-r128" and check["passed"], check
        assert -24.0 <= check["lufs"] <= -22.0 and check["true_peak_dbtp"] <= -1.0
        mp3 = result.out_dir / chapter["file"]
        for suffix, codec in ((".flac", "flac"), (".opus", "opus")):
            with av.open(str(mp3.with_suffix(suffix))) as container:
                assert container.streams.audio[0].codec_context.name == codec
    assert sorted(p.suffix for p in (result.out_dir / "chapters").iterdir()) == sorted(
        [".mp3", ".flac", ".opus"] * 3
    )
    assert "ebu-r128 pass" in result.report.read_text(encoding="utf-8")

    tags = mutagen.File(result.m4b).tags
    assert tags["©nam"] == ["A Tiny Book"] and tags["©ART"] == ["Test Author"]
    assert tags["©nrt"] == ["Piper (en_US-joe-medium)"] and tags["©day"] == ["2025"]
    assert bytes(tags["covr"][0]) == PNG
    with av.open(str(result.m4b)) as container:
        assert [m["metadata"]["title"] for m in container.chapters()] == titles

    # Dropping a format removes its files; nothing is synthesized again.
    again = narrate_book(params.model_copy(update={"formats": ("flac",)}))
    assert not list((again.out_dir / "chapters").glob("*.opus"))
    assert len(list((again.out_dir / "chapters").glob("*.flac"))) == 3
