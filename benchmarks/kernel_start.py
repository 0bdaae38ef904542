"""What paying the kernel start once saves: a benchmark, not a test.

    .venv/bin/python benchmarks/kernel_start.py            # every notebook's setup cell, 3 rounds
    taskset -c 0 .venv/bin/python benchmarks/kernel_start.py --rounds 1

For one student's notebooks, in one run, it times the kernel start plus each notebook's
setup cell (its imports: TensorFlow, Keras, the course's helpers) two ways:

  per notebook  a new sandbox per notebook whose kernel imports everything itself (how
                grading started kernels before the zygote);
  zygote        one sandbox per student whose runner imports the setup cells' modules once,
                then a kernel forked from it per notebook (``course.judge.zygote``).

Both use bubblewrap when it is installed (``--isolation none`` otherwise) and the same
threads. It prints each way's seconds per round and the ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from course.cells import read
from course.judge.bubblewrap import bwrap_path
from course.judge.kernel import StudentKernel
from course.judge.limits import Limits
from course.judge.submission import setup_imports
from course.paths import SOLUTIONS_DIR, assignments, notebook_names


def _setups() -> dict[str, str]:
    """assignment -> the setup cell of its (first) notebook."""
    found = {}
    for assignment in assignments():
        nb = read(SOLUTIONS_DIR / assignment / f"{notebook_names(assignment)[0]}.ipynb")
        found[assignment] = next(c.source for c in nb.cells if c.cell_type == "code")
    return found


def _run_setup(kernel: StudentKernel, source: str, where: str) -> None:
    result = kernel.run_cell(source)
    if result.get("dead") or result.get("error"):
        raise SystemExit(f"the setup cell of {where} failed: {result}")


def per_notebook(setups: dict[str, str], isolation: str, home: Path) -> float:
    start = time.perf_counter()
    for assignment, source in setups.items():
        (home / assignment).mkdir(exist_ok=True)
        kernel = StudentKernel(home, Limits(), isolation, threads=1)
        try:
            kernel.new_kernel(assignment)
            _run_setup(kernel, source, assignment)
        finally:
            kernel.close()
    return time.perf_counter() - start


def zygote(setups: dict[str, str], isolation: str, home: Path) -> float:
    start = time.perf_counter()
    preload = tuple(setup_imports(list(setups.values())))
    kernel = StudentKernel(home, Limits(), isolation, threads=1, preload=preload)
    try:
        for assignment, source in setups.items():
            (home / assignment).mkdir(exist_ok=True)
            kernel.new_kernel(assignment)
            _run_setup(kernel, source, assignment)
    finally:
        kernel.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    isolation = "bubblewrap" if bwrap_path() else "none"
    setups = _setups()
    times: dict[str, list[float]] = {"per notebook": [], "zygote": []}
    for _ in range(args.rounds):
        for name, way in (("per notebook", per_notebook), ("zygote", zygote)):
            home = Path(tempfile.mkdtemp(prefix="course-bench-"))
            try:
                times[name].append(way(setups, isolation, home))
            finally:
                shutil.rmtree(home, ignore_errors=True)
    rounds = f"{args.rounds} round(s)"
    print(f"{len(setups)} notebooks' kernel start + setup cell, {isolation}, {rounds}")
    for name, values in times.items():
        rounded = ", ".join(f"{v:.1f}" for v in values)
        print(f"  {name:<13} median {statistics.median(values):6.1f} s  ({rounded})")
    ratio = statistics.median(times["per notebook"]) / statistics.median(times["zygote"])
    print(f"  zygote is {ratio:.1f}x faster")


if __name__ == "__main__":
    main()
