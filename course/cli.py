"""The ``course`` command: the instructor workflow on top of nbgrader.

    course release              solutions/ -> notebooks/ (student versions)
    course check-release        fail if notebooks/ differs from a fresh generation
    course validate NOTEBOOK    run a notebook's tests; exit 1 when any fails
    course grade SUBMISSIONS    autograde a class (folder or zip), write feedback and grades.csv
    course demo                 release, then grade the demo class and check its scores
    course pretrain             retrain notebook 04's pretrained base (data/), deterministically
    course lab [--student]      JupyterLab: the instructor's (formgrader) or a student's

Exit status: 0 when all went as it should; 1 when something needs attention
(a failing test in `validate`, a timeout or crash while grading, a demo
score that is not the expected one); 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.grading.report import printable
from course.paths import AUTOGRADER_DIR, DEMO_WORKSPACE, REPO


def _print_grades(grades) -> None:
    from course.grading.report import grade_table, lost_points

    print(grade_table(grades.results))
    lost = lost_points(grades.results)
    if lost:
        print("Points lost:\n" + lost + "\n")
    for problem in grades.problems:
        print("PROBLEM:", printable(problem))
    print(f"Grades: {grades.csv_path}\nFeedback: {grades.feedback_dir}/<student>/<assignment>/")
    print(f"Graded {len(grades.results)} notebook(s) in {grades.seconds:.1f} s.")


def cmd_release(args) -> int:
    from course.grading.release import release

    for path in release(workspace=Path(args.workspace)):
        print("wrote", path.relative_to(REPO))
    return 0


def cmd_check_release(args) -> int:
    from course.grading.release import release_drift

    problems = release_drift()
    for problem in problems:
        print("DRIFT:", problem)
    if not problems:
        print("notebooks/ is in sync with solutions/.")
    return 1 if problems else 0


def cmd_validate(args) -> int:
    from course.grading.validate import validate

    failures = validate(Path(args.notebook))
    for failure in failures:
        print("FAILED:", printable(failure))
    print(f"{len(failures)} failing cell(s)." if failures else "All tests passed.")
    return 1 if failures else 0


def _limits(args):
    from course.judge.limits import Limits

    return Limits(cell_timeout=args.cell_timeout, memory_bytes=int(args.memory_gb * 1024**3))


def cmd_grade(args) -> int:
    import csv
    import shutil

    from course.grading.grade import grade_class
    from course.grading.intake import import_submissions

    workspace = Path(args.workspace)
    staged = workspace / ".intake"  # the export read once, as <student id>/<assignment>/
    shutil.rmtree(staged, ignore_errors=True)
    found = import_submissions(
        Path(args.submissions),
        staged,
        roster=args.roster,
        assignment=args.assignment,
        keep=args.keep,
    )
    print(f"Read the {found.layout} layout: {sum(map(len, found.values()))} submission(s).")
    for note in found.notes:
        print(f"  {printable(note)}")
    with open(workspace / "students.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "name_in_export"])
        writer.writerows(sorted(found.names.items()))
    grades = grade_class(
        staged / "submitted",
        workspace,
        jobs=args.jobs,
        limits=_limits(args),
        isolation=args.isolation,
        scheduler=args.scheduler,
        every_cell={s for students in found.values() for s in students} if args.every_cell else (),
    )
    _print_grades(grades)
    if grades.needs_attention:
        print("\nSome submissions need your attention (see flags and PROBLEM lines above).")
        return 1
    return 0


def cmd_demo(args) -> int:
    from course.grading.demo import PERFECT, build_demo_class, compare
    from course.grading.grade import grade_class
    from course.grading.release import release

    workspace = Path(args.workspace)
    print("1/3 Building the student notebooks from solutions/ ...")
    release(workspace=workspace)
    print("2/3 Building the demo class: perfect, untouched, mistaken, tampering, broken, crash ...")
    expected = build_demo_class(workspace / "class")
    print("3/3 Autograding it with nbgrader ...\n")
    grades = grade_class(
        workspace / "class",
        workspace,
        jobs=args.jobs,
        limits=_limits(args),
        isolation=args.isolation,
        # everyone skips the demonstration cells; --every-cell runs them for the perfect
        # student too (the test suite does, and checks each cell's time)
        every_cell={PERFECT} if args.every_cell else (),
    )
    _print_grades(grades)
    differences = compare(grades.results, expected)
    for difference in differences:
        print("UNEXPECTED:", difference)
    if differences or grades.problems:
        return 1
    print(
        "\nThe demo class graded as expected: full marks, zero, exactly the planted mistakes' "
        "points lost, and the broken and hostile submissions flagged (so exit status 0)."
    )
    return 0


def cmd_pretrain(args) -> int:
    from course import transfer

    config = transfer.QUICK_CONFIG if args.quick else None
    output = args.output
    if output is None and args.quick:
        raise ValueError("--quick does not overwrite the shipped weights: give --output FILE.")
    shipped = _shipped_accuracy(quick=args.quick)  # read before the run can replace it
    record = transfer.pretrain(output_path=output, seed=args.seed, config=config)
    tolerance = transfer.ACCURACY_TOLERANCE["quick" if args.quick else "full"]
    if shipped is None or args.seed != 0:
        return 0
    gap = abs(record["source_accuracy"] - shipped)
    print(
        f"recorded source accuracy {shipped:.4f}; this run {record['source_accuracy']:.4f} "
        f"(difference {gap:.4f}, tolerance {tolerance})"
    )
    return 0 if gap <= tolerance else 1


def cmd_lab(args) -> int:  # pragma: no cover - becomes JupyterLab (tests/browser/)
    from course import lab

    role = "student" if args.student else "instructor"
    extra = (["--no-browser"] if args.no_browser else []) + (
        [f"--ServerApp.port={args.port}"] if args.port else []
    )
    lab.start(lab.lab(role, root=args.root, jupyter_args=[*extra, *args.jupyter_args]))
    return 0


def _shipped_accuracy(quick: bool) -> float | None:
    """The source accuracy recorded for the shipped weights (full or quick run), if any."""
    from course.models.vgg import pretrained_record

    try:
        record = pretrained_record()
    except FileNotFoundError:
        return None
    if quick:
        return (record.get("quick_run") or {}).get("source_accuracy")
    return record.get("source_accuracy")


def _grading_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=int, default=2, help="students graded in parallel (default 2)")
    p.add_argument("--cell-timeout", type=int, default=30, help="seconds per cell (default 30)")
    p.add_argument("--memory-gb", type=float, default=8, help="memory per kernel (default 8)")
    p.add_argument(
        "--isolation",
        choices=("bubblewrap", "none"),
        default="bubblewrap",
        help="where students' kernels run: 'bubblewrap' (default), a sandbox with no network "
        "and no view of the class, the repository or the grader; 'none', a plain process with "
        "your user's rights: a submission could then read the solutions, change other "
        "students' files or your environment (the grades themselves are still decided "
        "outside its kernel). Use 'none' only where bubblewrap cannot run.",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="generate notebooks/ from solutions/")
    p.add_argument("--workspace", default=str(AUTOGRADER_DIR), help="nbgrader course root")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("check-release", help="fail if notebooks/ drifted from solutions/")
    p.set_defaults(func=cmd_check_release)

    p = sub.add_parser("validate", help="run one notebook's tests, exit 1 if any fails")
    p.add_argument("notebook")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("grade", help="autograde a class of submissions")
    p.add_argument(
        "submissions",
        help="folder or zip: <student>/<assignment>/<notebook>.ipynb, a Canvas or a Moodle export",
    )
    p.add_argument(
        "--roster",
        help="CSV mapping LMS ids/logins/names to student ids: student_id + lms_id, login or name",
    )
    p.add_argument(
        "--assignment", help="the assignment of a Canvas/Moodle export (default: from file names)"
    )
    p.add_argument(
        "--keep",
        choices=("newest", "first", "refuse"),
        default="newest",
        help="which Canvas resubmission to grade (default newest; refuse stops the run)",
    )
    p.add_argument(
        "--workspace",
        default=str(AUTOGRADER_DIR),
        help="nbgrader course root for the gradebook, feedback and grades (default: autograder/)",
    )
    p.add_argument(
        "--every-cell",
        action="store_true",
        help="run every cell of every notebook (default: skip the demonstration cells no grade "
        "depends on; a notebook that needs one is graded again with every cell)",
    )
    p.add_argument(
        "--scheduler",
        help="a Dask scheduler (tcp://HOST:8786, tls://...) whose workers judge the students; "
        "each needs this course installed at the same commit and bubblewrap "
        "(docs/grading-at-scale.md). Default: grade here, --jobs at a time",
    )
    _grading_options(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("demo", help="release, then grade the demo class")
    p.add_argument(
        "--workspace",
        default=str(DEMO_WORKSPACE),
        help="where the demo's gradebook, feedback and grades go (default: build/demo)",
    )
    p.add_argument(
        "--every-cell",
        action="store_true",
        help="grade the perfect student with every cell, demonstrations included (slower)",
    )
    _grading_options(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "pretrain",
        help="retrain notebook 04's pretrained base (about 30 s on 2 cores)",
        description="Train the course's small VGG on the source task (course.transfer.pretrain), "
        "deterministically, and write its weights and a JSON record (checksum, accuracy, "
        "provenance). Exit 1 when the source accuracy is not the recorded one, within "
        "tolerance.",
    )
    p.add_argument(
        "--output",
        default=None,
        help="the .weights.h5 file to write (default: the shipped data/ file, replaced)",
    )
    p.add_argument("--seed", type=int, default=0, help="training seed (default 0, as shipped)")
    p.add_argument(
        "--quick",
        action="store_true",
        help="the reduced run the tests repeat (2,000 scenes, 2 epochs); needs --output",
    )
    p.set_defaults(func=cmd_pretrain)

    p = sub.add_parser(
        "lab",
        help="start JupyterLab: the instructor's (with the formgrader) or --student",
        description="The instructor's JupyterLab serves the checkout with nbgrader's formgrader "
        "(config from autograder/); --student serves notebooks/ without the Formgrader, Create "
        "Assignment and Course List panels. Both create nbgrader's exchange in build/lab/. "
        "Options after -- go to jupyter lab.",
    )
    p.add_argument("--student", action="store_true", help="a student's lab on notebooks/")
    p.add_argument(
        "--root", default=None, help="folder to serve (default: notebooks/ or the checkout)"
    )
    p.add_argument("--port", type=int, default=None, help="port (default: Jupyter's, 8888)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="-- then jupyter lab options")
    p.set_defaults(func=cmd_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"course {args.command}: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:  # NbgraderError: a step failed
        print(f"course {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
