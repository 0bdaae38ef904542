"""nbgrader steps in one process: a batch, and a writer that stays up for a whole run."""

import pytest

from course.grading.nbgrader_batch import NbgraderWriter, run_steps
from course.grading.nbgrader_steps import NbgraderError


def test_a_batch_answers_each_step(tmp_path):
    done = run_steps([{"step": "export", "to": str(tmp_path / "grades.csv")}], tmp_path)
    assert [(r.args, r.returncode, r.errors) for r in done] == [(("export",), 0, [])]
    assert (tmp_path / "grades.csv").read_text().startswith("assignment,")


def test_the_writer_runs_batches_in_one_process_and_reports_failed_steps(tmp_path):
    writer = NbgraderWriter(tmp_path)
    try:
        pid = writer.process.pid
        first = writer.run([{"step": "export", "to": str(tmp_path / "a.csv")}])
        second = writer.run(
            [
                {"step": "autograde", "assignment": "no-such-assignment", "student": "ann"},
                {"step": "export", "to": str(tmp_path / "b.csv")},
            ]
        )
        assert writer.process.pid == pid and writer.process.poll() is None
    finally:
        writer.close()
    assert first[0].returncode == 0 and (tmp_path / "a.csv").exists()
    assert second[0].args == ("autograde", "no-such-assignment", "ann")
    assert second[0].returncode or second[0].errors  # nbgrader's error, then the next step
    assert second[1].returncode == 0 and (tmp_path / "b.csv").exists()
    assert writer.process.returncode == 0


def test_a_writer_whose_process_died_says_so(tmp_path):
    writer = NbgraderWriter(tmp_path)
    writer.process.kill()
    writer.process.wait()
    with pytest.raises(NbgraderError, match="stopped"):
        writer.run([{"step": "export", "to": str(tmp_path / "a.csv")}])
    writer.close()
