"""Drafting the synthesis at RN×10: total time, time per step and peak memory.

On the database built by `generate.py` (one consultation, 85,000 contributions, 1.5 million
votes, 200,000 participants), the draft is built as the background job builds it
(`synthesis.draft.build_draft`: bulk SQL on one read-only snapshot, then the campaigns, themes
and opinion groups, then the Markdown). The generated consultation is still open: the closing
rule belongs to `jobs.start_draft`, which this script does not call, and nothing is written to
the database. The draft is written to `OUT/synthesis-draft.md` and `OUT/synthesis-draft.json`
for reading.

    .venv/bin/python bench/synthesis.py [--run bench/out/run.json] [--save]

With `--save` the draft is then saved as the job saves it (`jobs._save_draft`: its themes and
proposal groups put on the review's workbench, the review's decisions applied, the draft
written, one transaction), which writes to the database: run it on a copy.

Peak memory is the process's peak resident set (`ru_maxrss`), the application included.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CONSULTATION_ENV", "development")


def resident_mib() -> float:
    """The current resident set of this process, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StepClock:
    """The draft's progress callback: notes when each step starts."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.steps: list[tuple[str, float, float]] = []  # (step, start, peak MiB at its end)

    def __call__(self, _percent: float, step: str) -> None:
        if not self.steps or self.steps[-1][0] != step:
            if self.steps:
                name, start, _peak = self.steps[-1]
                self.steps[-1] = (name, start, peak_mib())
            self.steps.append((step, time.perf_counter(), 0.0))

    def report(self, end: float) -> None:
        name, start, _peak = self.steps[-1]
        self.steps[-1] = (name, start, peak_mib())
        for index, (step, start, peak) in enumerate(self.steps):
            finish = self.steps[index + 1][1] if index + 1 < len(self.steps) else end
            print(f"  {step:<32} {finish - start:7.1f} s   peak so far {peak:7.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default="bench/out/run.json")
    parser.add_argument("--save", action="store_true", help="then save it as the job does")
    arguments = parser.parse_args()
    run_file = Path(arguments.run)
    run = json.loads(run_file.read_text())

    from consultation import create_app
    from consultation.consultations.models import Consultation
    from consultation.extensions import db
    from consultation.synthesis import draft

    app = create_app({"SQLALCHEMY_DATABASE_URI": run["database_url"]})
    with app.app_context():
        consultation = db.session.scalar(
            db.select(Consultation).where(Consultation.slug == run["slug"])
        )
        db.session.commit()  # nothing held while the draft reads its own snapshot
        before = resident_mib()
        clock = StepClock()
        start = time.perf_counter()
        markdown, data = draft.build_draft(consultation, progress=clock)
        end = time.perf_counter()
        saved = _save(consultation, markdown, data) if arguments.save else None

    print(f"Draft of « {run['slug']} » on {run['database_url'].split(':')[0]}")
    print(f"  total                            {end - start:7.1f} s")
    clock.report(end)
    if saved is not None:
        print(f"  saved as the job saves it        {saved:7.1f} s   (review workbench included)")
    print(f"  resident before the draft        {before:7.0f} MiB")
    print(f"  peak resident (process)          {peak_mib():7.0f} MiB")
    figures = data["figures"]
    opinions = data["opinion_groups"]
    print(
        f"  figures: {figures['participants']:,} participants, "
        f"{figures['contributions']['total']:,} contributions, {figures['votes']['total']:,} votes"
    )
    print(
        f"  campaigns: {len(data['campaigns'])} "
        f"({sum(c['count'] for c in data['campaigns']):,} contributions); "
        f"themes: {len(data['themes'])}; opinion groups: "
        f"{len(opinions['groups']) if opinions['clear'] else 'no clear divide'} "
        f"(silhouette {opinions['silhouette']}, {opinions['participants']:,} participants)"
    )
    out = run_file.parent
    (out / "synthesis-draft.md").write_text(markdown)
    encoded = json.dumps(data, ensure_ascii=False)
    (out / "synthesis-draft.json").write_text(encoded)
    print(
        f"  Markdown {len(markdown.encode()) / 1024:,.0f} KiB, data {len(encoded.encode()) / 1024:,.0f} KiB "
        f"→ {out}/synthesis-draft.md, .json"
    )


def _save(consultation, markdown: str, data: dict) -> float:
    """Save the draft as the job does, on a job row made for it; its time in seconds."""
    from consultation.extensions import db
    from consultation.synthesis import jobs
    from consultation.synthesis.models import JobStatus, SynthesisJob

    job = SynthesisJob(consultation_id=consultation.id, status=JobStatus.running)
    db.session.add(job)
    db.session.commit()
    start = time.perf_counter()
    jobs._save_draft(job.id, consultation.id, markdown, data)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
