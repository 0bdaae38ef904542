"""Grade one class several ways in one run and compare: a benchmark, not a test.

    .venv/bin/python benchmarks/grade_class.py                      # the demo class, all
    .venv/bin/python benchmarks/grade_class.py --copies 20 --assignment 02-cnn-layers
    .venv/bin/python benchmarks/grade_class.py --copies 2 --assignment 02-cnn-layers \\
        --ways nbgrader,jobs1,jobs2 --json build/bench.json

The ways:
  nbgrader  plain nbgrader with the course's config (autograder/nbgrader_config.py), as an
            instructor runs it by hand: generate_assignment, autograde (one notebook at a
            time), generate_feedback, export, in a temporary course root;
  jobsN     ``course grade CLASS --jobs N`` (intake, sandboxes, merge, feedback, CSV), run as
            a subprocess of the course's own ``course`` command;
  daskN     ``course grade CLASS --scheduler ADDRESS`` on a Dask cluster of N single-thread
            worker processes started here on 127.0.0.1 (``dispatch.local_cluster``).

    .venv/bin/python benchmarks/grade_class.py --copies 20 --assignment 02-cnn-layers \\
        --ways dask1,dask2
Each way prints its wall time, the cost per student and per submission (student x
assignment), and the ratios; the nbgrader export of each way is compared (same scores?).
The class: the demo class (``course demo``'s six students), or ``--copies N`` copies of
the perfect student; ``--assignment`` (repeatable) keeps only those assignments.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course.grading.demo import PERFECT, build_demo_class
from course.grading.nbgrader_steps import generate_assignment, run_nbgrader
from course.judge.limits import usable_cpus
from course.paths import REPO, assignments

#: set-up: intake and generate_assignment; grading: executing the notebooks;
#: recording: scores into the gradebook, feedback and the CSV exports.
PHASES = ("set-up", "grading", "recording")


def build_class(dest: Path, copies: int | None, only: list[str] | None) -> dict[str, list[str]]:
    """Write ``dest/<student>/<assignment>/*.ipynb``; assignment -> students."""
    demo = dest.parent / "demo-class"
    build_demo_class(demo)
    chosen = only or assignments()
    unknown = sorted(set(chosen) - set(assignments()))
    if unknown:
        raise SystemExit(f"unknown assignment(s) {unknown}: choose among {assignments()}")
    if copies is None:
        students = sorted(p.name for p in demo.iterdir() if p.is_dir())
        sources = {s: s for s in students}
    else:
        students = [f"student-{i:03d}" for i in range(1, copies + 1)]
        sources = {s: PERFECT for s in students}
    found: dict[str, list[str]] = {}
    for student, source in sources.items():
        for assignment in chosen:
            if (demo / source / assignment).is_dir():
                shutil.copytree(demo / source / assignment, dest / student / assignment)
                found.setdefault(assignment, []).append(student)
    shutil.rmtree(demo)
    return found


def scores(export_csv: Path) -> dict[tuple[str, str], float]:
    """(assignment, student) -> score, from an nbgrader CSV export."""
    with open(export_csv, newline="") as handle:
        return {
            (r["assignment"], r["student_id"]): float(r["score"]) for r in csv.DictReader(handle)
        }


def plain_nbgrader(klass: Path, root: Path, found: dict[str, list[str]], log):
    """The instructor's by-hand nbgrader workflow over the class: its CSV export, 0 (exit
    status) and the seconds of each phase."""
    shutil.copytree(klass, root / "submitted")
    phases = dict.fromkeys(PHASES, 0.0)
    for assignment in sorted(found):
        start = time.perf_counter()
        log.write(generate_assignment(assignment, workspace=root, release_dir=root / "release").log)
        phases["set-up"] += time.perf_counter() - start
        for command, phase in (("autograde", "grading"), ("generate_feedback", "recording")):
            start = time.perf_counter()
            step = run_nbgrader(command, assignment, "--force", workspace=root, check=False)
            log.write(step.log)
            phases[phase] += time.perf_counter() - start
    export = root / "nbgrader_grades.csv"
    start = time.perf_counter()
    log.write(run_nbgrader("export", f"--CsvExportPlugin.to={export}", workspace=root).log)
    phases["recording"] += time.perf_counter() - start
    return export, 0, phases


def course_grade(klass: Path, root: Path, jobs: int, log, scheduler: str | None = None):
    """``course grade CLASS --workspace ROOT --jobs N`` (or ``--scheduler ADDRESS``): its CSV
    export, exit status and the seconds of each phase, read from when its "Autograding ..."
    and first "Recording ..." lines come out (all in "set-up" if they do not)."""
    course = Path(sys.executable).parent / "course"
    if not course.exists():
        course = Path(shutil.which("course") or "course")
    command = [str(course), "grade", str(klass), "--workspace", str(root)]
    command += ["--scheduler", scheduler] if scheduler else ["--jobs", str(jobs)]
    start = time.perf_counter()
    seen: dict[str, float] = {}
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=REPO,
        text=True,
        errors="replace",
    ) as process:
        for line in process.stdout:
            now = time.perf_counter() - start
            log.write(f"[{now:7.1f} s] {line}")
            for marker in ("Autograding ", "Recording "):
                if line.startswith(marker):
                    seen.setdefault(marker, now)
    end = time.perf_counter() - start
    graded = seen.get("Autograding ", end)
    recorded = seen.get("Recording ", end)
    phases = {"set-up": graded, "grading": recorded - graded, "recording": end - recorded}
    return root / "nbgrader_grades.csv", process.returncode, phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--copies", type=int, help="N copies of the perfect student (default: the demo class)"
    )
    parser.add_argument(
        "--assignment", action="append", help="keep only this assignment (repeatable; default: all)"
    )
    parser.add_argument(
        "--ways",
        default="nbgrader,jobs1,jobs2",
        help="comma-separated, among nbgrader, jobsN and daskN (default: %(default)s)",
    )
    parser.add_argument("--keep", type=Path, help="keep the class and workspaces in this folder")
    parser.add_argument("--json", type=Path, help="also write the measurements to this file")
    args = parser.parse_args(argv)
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    for way in ways:
        if way != "nbgrader" and not (way[:4] in ("jobs", "dask") and way[4:].isdigit()):
            parser.error(f"unknown way {way!r}: use nbgrader, jobsN or daskN (e.g. jobs2)")

    base = Path(args.keep or tempfile.mkdtemp(prefix="course-bench-")).resolve()
    if args.keep and base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True, exist_ok=True)
    klass = base / "class"
    found = build_class(klass, args.copies, args.assignment)
    students = len({s for names in found.values() for s in names})
    submissions = sum(map(len, found.values()))
    print(
        f"Class: {students} student(s), {submissions} submission(s) "
        f"({', '.join(sorted(found))}), {usable_cpus()} usable core(s), load average "
        f"{os.getloadavg()[0]:.1f}; work in {base}",
        flush=True,
    )

    load_at_start = list(os.getloadavg())
    rows = []
    for way in ways:
        root = base / way
        with open(base / f"{way}.log", "w") as log:
            print(f"  {way} ...", end=" ", flush=True)
            start = time.perf_counter()
            if way == "nbgrader":
                export, status, phases = plain_nbgrader(klass, root, found, log)
            elif way.startswith("dask"):
                from course.grading.dispatch import local_cluster

                with local_cluster(n_workers=int(way[4:]), threads_per_worker=1) as cluster:
                    start = time.perf_counter()  # the workers' start is not grading
                    export, status, phases = course_grade(
                        klass, root, 0, log, scheduler=cluster.scheduler_address
                    )
                    seconds = time.perf_counter() - start
            else:
                export, status, phases = course_grade(klass, root, int(way[4:]), log)
            if not way.startswith("dask"):
                seconds = time.perf_counter() - start
        got = scores(export) if export.exists() else {}
        print(f"{seconds:.1f} s (exit {status}; log {base / f'{way}.log'})", flush=True)
        rows.append(
            {"way": way, "seconds": seconds, "exit": status, "phases": phases, "scores": got}
        )

    reference = rows[0]
    print(
        f"\n{'way':<36}{'wall s':>8}{'set-up':>8}{'grading':>9}{'recording':>10}"
        f"{'s/student':>11}{'s/submission':>13}{'vs ' + reference['way']:>13}{'exit':>6}"
    )
    for row in rows:
        label = {
            "nbgrader": "nbgrader autograde (one at a time)",
            "jobs": f"course grade --jobs {row['way'][4:]}",
            "dask": f"course grade on {row['way'][4:]} Dask worker(s)",
        }[row["way"][:4] if row["way"] != "nbgrader" else "nbgrader"]
        phases = "".join(
            f"{row['phases'][p]:>{w}.1f}" for p, w in zip(PHASES, (8, 9, 10), strict=True)
        )
        print(
            f"{label:<36}{row['seconds']:>8.1f}{phases}{row['seconds'] / students:>11.1f}"
            f"{row['seconds'] / submissions:>13.1f}"
            f"{reference['seconds'] / row['seconds']:>12.2f}x{row['exit']:>6}"
        )
    by_way = {row["way"]: row["seconds"] for row in rows}
    for kind, name in (("jobs", "--jobs {}"), ("dask", "{} Dask worker(s)")):
        runs = sorted((int(w[4:]), t) for w, t in by_way.items() if w.startswith(kind))
        for (n, t), (m, u) in itertools.pairwise(runs):
            print(
                f"{name.format(m)} vs {name.format(n)}: {t / u:.2f}x faster "
                f"({t / u / (m / n):.2f} of ideal)"
            )
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} (1 min), {load[2]:.1f} (15 min)")
    for row in rows[1:]:
        differ = {
            key: (reference["scores"].get(key), row["scores"].get(key))
            for key in set(reference["scores"]) | set(row["scores"])
            if reference["scores"].get(key) != row["scores"].get(key)
        }
        verdict = "same scores" if not differ else f"scores differ for {sorted(differ.items())}"
        print(f"{row['way']} vs {reference['way']}: {verdict}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "students": students,
            "submissions": submissions,
            "assignments": sorted(found),
            "cores": usable_cpus(),
            "load_at_start": load_at_start,
            "load_at_end": list(os.getloadavg()),
            "ways": [
                {**r, "scores": {f"{a}/{s}": v for (a, s), v in sorted(r["scores"].items())}}
                for r in rows
            ],
        }
        args.json.write_text(json.dumps(record, indent=1))
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
