"""book.toml, the lexicon and `narrate lexicon suggest`, run as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from narrator_cli.app import app

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "inputs" / "the-keeper-of-tern-rock.md"
NARRATE = Path(sys.executable).with_name("narrate")


def narrate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NARRATE), *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


def test_plan_shows_each_setting_and_where_it_came_from(tmp_path: Path) -> None:
    manuscript = tmp_path / "tern.md"
    shutil.copy(SAMPLE, manuscript)
    (tmp_path / "tern").mkdir()
    (tmp_path / "tern" / "book.toml").write_text(
        'title = "Tern"\nengine = "remote"\nspeed = 1.2\nlexicon = "lexicon.toml"\n'
    )
    (tmp_path / "tern" / "lexicon.toml").write_text('Maren = "MAR-en"\n')
    # --engine is left at its default value: book.toml's engine is in force.
    proc = narrate("plan", str(manuscript), "--title", "Other", "--json")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    settings = plan["settings"]
    assert plan["title"] == "Other" and plan["engine"] == "remote"
    assert settings["title"] == {"value": "Other", "source": "flag"}
    assert settings["engine"] == {"value": "remote", "source": "book.toml"}
    assert settings["speed"] == {"value": "1.2", "source": "book.toml"}
    assert settings["master"] == {"value": "acx", "source": "default"}
    assert settings["lexicon"]["value"].endswith("lexicon.toml")


def test_lexicon_suggest_lists_the_samples_names_most_frequent_first() -> None:
    # In-process: the command's own code, without another interpreter's start-up.
    result = CliRunner().invoke(app, ["lexicon", "suggest", str(SAMPLE), "--json", "--top", "3"])
    assert result.exit_code == 0, result.output
    words = json.loads(result.stdout)
    assert [w["word"] for w in words] == ["Ada", "Hollis", "Maren"]
    assert words[2] == {
        "word": "Maren", "count": 2, "reasons": ["not in the CMU dictionary", "a name"],
    }  # fmt: skip
