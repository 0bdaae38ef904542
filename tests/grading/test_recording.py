"""Recording judged students while others are judged: batches, one writer, errors kept."""

import threading
from concurrent.futures import Future

import pytest

from course.grading.nbgrader_steps import NbgraderError, StepResult
from course.grading.recording import Recorder, recording_steps


def _done(value=None) -> Future:
    future = Future()
    future.set_result(value)
    return future


def test_recording_steps_autograde_then_feedback_for_each_pair(tmp_path):
    steps = recording_steps([("bob", "02"), ("ann", "01"), ("bob", "02")], tmp_path)
    assert [(s["step"], s["student"], s["assignment"]) for s in steps] == [
        ("autograde", "ann", "01"),
        ("generate_feedback", "ann", "01"),
        ("autograde", "bob", "02"),
        ("generate_feedback", "bob", "02"),
    ]
    assert steps[0]["submitted_directory"] == str(tmp_path)


def test_records_in_batches_once_ready_one_writer_at_a_time(tmp_path):
    ready = Future()
    running, batches = threading.Lock(), []
    first_batch_started, release_first = threading.Event(), threading.Event()

    def run(steps):
        assert running.acquire(blocking=False), "two nbgrader batches at once"
        try:
            batches.append(sorted({(s["student"], s["assignment"]) for s in steps}))
            first_batch_started.set()
            if len(batches) == 1:
                release_first.wait(10)
            return [StepResult((s["step"], s["assignment"], s["student"]), 0, "") for s in steps]
        finally:
            running.release()

    recorder = Recorder(tmp_path, ready, {}, run=run)
    recorder.add("ann", "01")
    assert not first_batch_started.wait(0.3), "recorded before nbgrader's records were made"
    ready.set_result(None)
    assert first_batch_started.wait(10)
    recorder.add("bob", "01")  # judged while ann is recorded: the next batch takes both
    recorder.add("bob", "02")
    release_first.set()
    results = recorder.finish()
    assert batches == [[("ann", "01")], [("bob", "01"), ("bob", "02")]]
    assert len(results) == 6


def test_the_steps_to_run_then_come_after_the_last_batch(tmp_path):
    batches = []
    recorder = Recorder(tmp_path, _done(), {}, run=lambda steps: batches.append(steps) or [])
    recorder.add("ann", "01")
    recorder.finish(then=[{"step": "export", "to": "grades.csv"}])
    assert [s["step"] for batch in batches for s in batch][-1] == "export"


def test_a_batch_that_fails_is_raised_by_finish_and_nothing_after_it_runs(tmp_path):
    calls = []

    def run(steps):
        calls.append(steps)
        raise NbgraderError("nbgrader's steps stopped")

    recorder = Recorder(tmp_path, _done(), {}, run=run)
    recorder.add("ann", "01")
    with pytest.raises(NbgraderError, match="stopped"):
        recorder.finish()
    assert len(calls) == 1


def test_records_that_could_not_be_made_are_raised_by_finish(tmp_path):
    ready = Future()
    ready.set_exception(NbgraderError("generate_assignment failed"))
    recorder = Recorder(tmp_path, ready, {}, run=lambda *a, **k: pytest.fail("ran"))
    recorder.add("ann", "01")
    with pytest.raises(NbgraderError, match="generate_assignment"):
        recorder.finish()


def test_nothing_added_records_nothing(tmp_path):
    recorder = Recorder(tmp_path, _done(), {}, run=lambda *a, **k: pytest.fail("ran"))
    assert recorder.finish() == []


def test_nothing_added_still_runs_the_steps_to_run_then(tmp_path):
    recorder = Recorder(tmp_path, _done(), {}, run=lambda steps: [steps[0]["step"]])
    assert recorder.finish(then=[{"step": "export", "to": "grades.csv"}]) == ["export"]
