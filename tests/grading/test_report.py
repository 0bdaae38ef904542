"""Nothing a submission prints reaches the instructor's terminal or spreadsheet raw (issue #11)."""

from __future__ import annotations

import csv

import pytest

from course.grading.report import grade_table, lost_points, printable, write_csv
from course.grading.results import NotebookResult, QuestionResult

HOSTILE_REASON = (
    "AssertionError: wrong\x1b[2K\x1b[1G\x1b[32mall tests passed\x1b[0m"
    "\x1b]0;pwned\x07\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\"
    "\u202eevil\u202c\u2066x\u2069\u200b\u200d\x9b2J\x85\x07\x08\r\nsecond line"
)


def _results(reason=HOSTILE_REASON, student="alice", flags=None):
    return [
        NotebookResult(
            student=student,
            assignment="02-cnn-layers",
            notebook="cnn_layers",
            questions=[
                QuestionResult("q1_tests", 0.0, 2.0, reason),
                QuestionResult("q2_tests", 1.0, 1.0),
            ],
            flags=flags if flags is not None else ["timeout in cell 3\x1b[8D\x1b[Kok"],
        )
    ]


def _assert_printable(text: str) -> None:
    for char in text:
        code = ord(char)
        assert char == "\n" or code >= 0x20, repr(text)
        assert not 0x7F <= code <= 0x9F, repr(text)
        assert char not in "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff", repr(text)
        assert not 0x202A <= code <= 0x202E and not 0x2066 <= code <= 0x2069, repr(text)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain text: 3/4 (ok)", "plain text: 3/4 (ok)"),
        ("a\x1b[31mred\x1b[0m b", "ared b"),
        ("\x1b[2K\x1b[1Gover", "over"),
        ("x\x1b]0;title\x07y", "xy"),
        ("x\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\z", "xlinkz"),
        ("p\u202eq\u2066r\u2069\u200bs\ufeff", "pqrs"),
        ("c1\x9b31m\x85\x9d0;t\x9cend", "c1end"),
        ("esc\x1b7\x1b8\x1bc\x1b(Bdone", "escdone"),
        ("one\ntwo\tthree\r", "one two three "),
        ("nul\x00bel\x07bs\x08del\x7f", "nulbelbsdel"),
        ("héllo, 世界 ✓", "héllo, 世界 ✓"),
    ],
)
def test_printable(raw, clean):
    """Are escape sequences, controls, zero-width and bidi characters removed, text kept?"""
    assert printable(raw) == clean


def test_grade_table_flags_column_cannot_be_overwritten():
    """Does an ANSI escape in a reason or flag leave the table's lines as printed text only?"""
    table = grade_table(_results())
    _assert_printable(table)
    row = next(line for line in table.splitlines() if line.startswith("alice"))
    assert row.endswith("timeout in cell 3ok")
    assert "0/2" in row and "1/1" in row


def test_grade_table_student_name_is_printable_and_aligned():
    """Is a hostile student name cleaned before the column width is computed?"""
    table = grade_table(_results(student="bob\x1b[2K\u202e"))
    _assert_printable(table)
    header, row = table.splitlines()[1:3]
    assert row.startswith("bob     ")
    assert header.index("q1") == row.index("0/2") + len("0/2") - len("q1")


def test_lost_points_one_printable_line_per_question():
    """Does a reason with escapes and newlines stay one clean line?"""
    lost = lost_points(_results())
    _assert_printable(lost)
    assert len(lost.splitlines()) == 1
    assert lost.startswith("alice 02-cnn-layers/cnn_layers q1_tests: 0/2  AssertionError: wrong")
    assert "all tests passed" in lost and "second line" in lost


def test_write_csv_is_printable_and_guards_formulas(tmp_path):
    """Are grades.csv cells printable, and do none start as a spreadsheet formula?"""
    path = write_csv(
        _results(reason='=HYPERLINK("http://evil.example","click")', flags=["@SUM(1+1)"])
        + _results(reason="+cmd|' /C calc'!A0", student="-2+3", flags=[" =1+1"])
        + _results(),
        tmp_path / "grades.csv",
    )
    text = path.read_text()
    _assert_printable(text.replace("\r\n", "\n"))
    rows = list(csv.DictReader(path.open(newline="")))
    assert len(rows) == 6
    for row in rows:
        for value in row.values():
            assert value.lstrip()[:1] not in ("=", "+", "-", "@"), row
    assert rows[0]["reason"] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[0]["flags"] == "'@SUM(1+1)"
    assert rows[2]["student"] == "'-2+3"
    assert rows[2]["reason"] == "'+cmd|' /C calc'!A0"
    assert rows[4]["reason"].startswith("AssertionError: wrongall tests passed")
    assert [row["score"] for row in rows[:2]] == ["0.0", "1.0"]
