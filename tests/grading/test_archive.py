"""Tests for course.grading.archive: reading an export safely."""

from __future__ import annotations

import zipfile

import pytest

from course.grading.archive import unpack


def test_zip_with_unsafe_paths_is_refused(tmp_path):
    """Is a zip that would write outside its folder refused?"""
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escape.txt", "x")
    (tmp_path / "out").mkdir()
    with pytest.raises(ValueError, match="unsafe path"):
        unpack(archive, tmp_path / "out")
