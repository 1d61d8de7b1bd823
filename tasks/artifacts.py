"""What the Prefect UI shows about a run: progress, a per-chapter table and the report."""

from __future__ import annotations

import json
from uuid import UUID

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from narrator.models import BookResult, BudgetWait
from narrator.text.slug import ascii_slug


def _key(slug: str, what: str) -> str:
    # Artifact keys allow only lower-case letters, digits and dashes.
    return f"{ascii_slug(slug)}-{what}"[:100]


def start_progress(slug: str) -> UUID:
    """Create the run's progress artifact at 0 %."""
    return create_progress_artifact(0.0, key=_key(slug, "progress"), description="Chunks done")


def report_progress(artifact_id: UUID, done: int, total: int) -> None:
    """Set the progress artifact to ``done`` of ``total`` chunks, as a percentage."""
    update_progress_artifact(artifact_id, 100.0 * done / max(total, 1))


def publish_book(slug: str, result: BookResult, budget: str) -> None:
    """Publish the chapter table (with each file's compliance check), the run's report
    with its budget, and a link to the audiobook."""
    data = json.loads(result.manifest.read_text(encoding="utf-8"))
    create_table_artifact(
        [
            {
                "chapter": ch["index"],
                "title": ch["title"],
                "duration_s": round(ch["duration_s"], 1),
                "lufs": round(ch["lufs"], 1),
                "peak_dbfs": round(ch["peak_dbfs"], 1),
                "chunks": len(ch["chunks"]),
                "attempts": sum(c["attempts"] for c in ch["chunks"]),
                "flagged": sum(c["flagged"] for c in ch["chunks"]),
                "accepted": sum(c["accepted"] for c in ch["chunks"]),
                "corrected": sum(
                    c["corrected_text"] is not None or c.get("revoiced", False)
                    for c in ch["chunks"]
                ),
                "check": ch["check"]["preset"] + (" pass" if ch["check"]["passed"] else " FAIL"),
                "rms_db": ch["check"]["rms_db"],
                "true_peak_dbtp": ch["check"]["true_peak_dbtp"],
                "noise_floor_db": ch["check"]["noise_floor_db"],
                "file": str(result.out_dir / ch["file"]),
            }
            for ch in data["chapters"]
        ],
        key=_key(slug, "chapters"),
        description=f"Chapters of {result.title}",
    )
    report = result.report.read_text(encoding="utf-8")
    outputs = (
        f"## Outputs\n\n- audiobook: `{result.m4b}`\n- chapters: `{result.out_dir}/chapters`\n"
        f"- review page: `{result.out_dir / 'review.html'}`\n"
    )
    create_markdown_artifact(
        f"{report}\n## Budget\n\n{budget}\n{outputs}",
        key=_key(slug, "report"),
        description="Run report",
    )
    create_link_artifact(
        result.m4b.resolve().as_uri(),
        link_text=result.m4b.name,
        key=_key(slug, "audiobook"),
        description=f"The audiobook of {result.title}",
    )


def publish_wait(slug: str, wait: BudgetWait, budget: str) -> None:
    """Publish why the run stopped early: the budget, what is done, when to resume."""
    create_markdown_artifact(
        f"# {wait.title}\n\n**Waiting for budget.** {wait.message}\n\n## Budget\n\n{budget}",
        key=_key(slug, "report"),
        description="Run report",
    )
