"""course.grading.intake: an export's notebooks brought into the workspace."""

from __future__ import annotations

import zipfile

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading.intake import import_submissions


def _nb(text="x = 1"):
    return nbformat.writes(new_notebook(cells=[new_code_cell(text)]))


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _tree(root, entries):
    for name, data in entries.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(data, encoding="utf-8")
    return root


def _submitted(workspace):
    return sorted(
        p.relative_to(workspace / "submitted").as_posix()
        for p in (workspace / "submitted").rglob("*")
        if p.is_file()
    )


A = "02-cnn-layers"


def test_folder_names_any_file_system_allows_become_safe_ids(tmp_path):
    """Are spaces, accents, a leading dash and '!' accepted, mapped to safe ids and reported?"""
    names = ["Anne Marie", "José", "-rf", "bad name!", "ann"]
    source = _tree(tmp_path / "class", {f"{n}/{A}/cnn_layers.ipynb": _nb() for n in names})
    found = import_submissions(source, tmp_path / "w")
    assert found.layout == "folders"
    assert found[A] == ["ann", "anne-marie", "bad-name", "jose", "rf"]
    assert found.names["rf"] == "-rf" and found.names["jose"] == "José"
    assert "student '-rf' graded as 'rf'" in found.notes
    assert all(not s.startswith("-") for s in found[A])


def test_checkpoints_macosx_and_ds_store_are_ignored(tmp_path):
    """Are Jupyter checkpoints and OS litter left out, in folders and in zips?"""
    entries = {
        f"ann/{A}/cnn_layers.ipynb": _nb(),
        f"ann/{A}/.ipynb_checkpoints/cnn_layers-checkpoint.ipynb": _nb("old"),
        "__MACOSX/ann/._cnn_layers.ipynb": "junk",
        "ann/.DS_Store": "junk",
    }
    found = import_submissions(_tree(tmp_path / "class", entries), tmp_path / "w")
    assert found[A] == ["ann"] and _submitted(tmp_path / "w") == [f"ann/{A}/cnn_layers.ipynb"]
    found = import_submissions(_zip(tmp_path / "c.zip", entries), tmp_path / "z")
    assert _submitted(tmp_path / "z") == [f"ann/{A}/cnn_layers.ipynb"]


def test_zip_wrapped_in_one_top_folder(tmp_path):
    """Is one folder wrapping the student folders (as zips of a folder have) stripped?"""
    archive = _zip(tmp_path / "c.zip", {f"export/ann/{A}/cnn_layers.ipynb": _nb()})
    assert import_submissions(archive, tmp_path / "w")[A] == ["ann"]


def test_canvas_flat_zip_infers_the_assignment_and_keeps_the_newest(tmp_path):
    """Does a Canvas download import, late files included, keeping the newest resubmission?"""
    archive = _zip(
        tmp_path / "canvas.zip",
        {
            "doejane_12345_67890_cnn_layers.ipynb": _nb("first"),
            "doejane_LATE_12345_67891_cnn_layers-1.ipynb": _nb("second"),
            "smithbob_222_333_cnn_layers.ipynb": _nb(),
        },
    )
    found = import_submissions(archive, tmp_path / "w")
    assert found.layout == "canvas" and found[A] == ["doejane", "smithbob"]
    kept = (tmp_path / "w" / "submitted" / "doejane" / A / "cnn_layers.ipynb").read_text()
    assert "second" in kept
    assert any("kept the newest resubmission" in n and "--keep" in n for n in found.notes)
    assert any("was submitted late" in n for n in found.notes)
    import_submissions(archive, tmp_path / "f", keep="first")
    assert (
        "first" in (tmp_path / "f" / "submitted" / "doejane" / A / "cnn_layers.ipynb").read_text()
    )
    with pytest.raises(ValueError, match="cnn_layers-1.ipynb"):
        import_submissions(archive, tmp_path / "r", keep="refuse")


def test_canvas_file_of_no_known_notebook_needs_the_assignment(tmp_path):
    """Is a Canvas file named like no notebook refused unless the assignment is given?"""
    archive = _zip(tmp_path / "c.zip", {"doejane_1_2_my homework.ipynb": _nb()})
    with pytest.raises(ValueError, match="--assignment"):
        import_submissions(archive, tmp_path / "w")
    found = import_submissions(archive, tmp_path / "w", assignment=A)
    assert found[A] == ["doejane"]
    assert _submitted(tmp_path / "w") == [f"doejane/{A}/my homework.ipynb"]


def test_moodle_folders_with_roster(tmp_path):
    """Does a Moodle export import, mapped to the roster's student ids by id or by name?"""
    source = _tree(
        tmp_path / "moodle",
        {
            "Jane Doe_12345_assignsubmission_file_/cnn_layers.ipynb": _nb(),
            "José Núñez_777_assignsubmission_file_/cnn_layers.ipynb": _nb(),
            "Zoë Unknown_999_assignsubmission_file_/cnn_layers.ipynb": _nb(),
        },
    )
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,lms_id,name\njdoe,12345,\njnunez,,José Núñez\n")
    found = import_submissions(source, tmp_path / "w", roster=roster)
    assert found.layout == "moodle" and found[A] == ["jdoe", "jnunez", "zoe-unknown"]
    assert found.names["jdoe"] == "Jane Doe"
    assert any("'Zoë Unknown' (999) is not in the roster" in n for n in found.notes)


def test_moodle_without_roster_derives_stable_ids(tmp_path):
    """Without a roster, are ids slugs of the names, distinct when two students share a name?"""
    source = _tree(
        tmp_path / "moodle",
        {
            "Jane Doe_1_assignsubmission_file_/cnn_layers.ipynb": _nb(),
            "Jane Doe_2_assignsubmission_file_/cnn_layers.ipynb": _nb(),
        },
    )
    assert import_submissions(source, tmp_path / "w")[A] == ["jane-doe", "jane-doe-2"]


def test_bad_roster_is_refused(tmp_path):
    """Is a roster without student_id, or with an unsafe id, refused saying the format?"""
    source = _tree(tmp_path / "c", {f"ann/{A}/cnn_layers.ipynb": _nb()})
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\n1,Ann\n")
    with pytest.raises(ValueError, match="student_id"):
        import_submissions(source, tmp_path / "w", roster=roster)
    roster.write_text("student_id,login\n-rf,ann\n")
    with pytest.raises(ValueError, match="line 2"):
        import_submissions(source, tmp_path / "w", roster=roster)


def test_duplicate_zip_entries_are_refused_naming_them(tmp_path):
    """Is a zip holding the same path twice refused rather than one picked silently?"""
    archive = tmp_path / "dup.zip"
    with pytest.warns(UserWarning):  # zipfile warns about the duplicate name
        _zip(archive, {f"ann/{A}/cnn_layers.ipynb": _nb("a")})
        with zipfile.ZipFile(archive, "a") as zf:
            zf.writestr(f"ann/{A}/cnn_layers.ipynb", _nb("b"))
    with pytest.raises(ValueError, match="twice"):
        import_submissions(archive, tmp_path / "w")


def test_two_files_for_one_notebook_are_refused(tmp_path):
    """Are two different unnumbered files for one student and notebook refused, both named?"""
    archive = _zip(
        tmp_path / "c.zip",
        {"doejane_1_2_cnn_layers.ipynb": _nb("a"), "doejane_1_3_cnn_layers.ipynb": _nb("b")},
    )
    with pytest.raises(ValueError, match="doejane_1_2_cnn_layers.ipynb.*doejane_1_3"):
        import_submissions(archive, tmp_path / "w")


@pytest.mark.parametrize("name", ["../escape.ipynb", "/etc/cnn_layers.ipynb", "a/../../b.ipynb"])
def test_traversal_in_zips_is_refused(tmp_path, name):
    """Are absolute and '..' paths refused with a clear message?"""
    archive = _zip(tmp_path / "evil.zip", {name: _nb()})
    with pytest.raises(ValueError, match="unsafe path"):
        import_submissions(archive, tmp_path / "w")
    assert not (tmp_path / "w").exists()


def test_symlinks_are_refused(tmp_path):
    """Are symlinks refused, in a zip and in a folder?"""
    archive = tmp_path / "link.zip"
    info = zipfile.ZipInfo(f"ann/{A}/cnn_layers.ipynb")
    info.external_attr = (0o120777) << 16
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(ValueError, match="symlink"):
        import_submissions(archive, tmp_path / "w")
    source = tmp_path / "class" / "ann" / A
    source.mkdir(parents=True)
    (source / "cnn_layers.ipynb").symlink_to("/etc/passwd")
    with pytest.raises(ValueError, match="symlink"):
        import_submissions(tmp_path / "class", tmp_path / "w")


def test_unknown_layout_lists_the_layouts_understood(tmp_path):
    """Is an unknown layout reported with each layout understood and an example of it?"""
    source = _tree(tmp_path / "c", {"ann/cnn_layers.ipynb": _nb(), "bob.ipynb": _nb()})
    with pytest.raises(ValueError) as error:
        import_submissions(source, tmp_path / "w")
    message = str(error.value)
    assert "fit no layout" in message
    for example in ("folders: <student>/", "canvas: doejane_12345_67890_", "moodle: Jane Doe_"):
        assert example in message


def test_unknown_assignment_is_refused(tmp_path):
    """Is a folder for an assignment the course does not have refused, naming the course's?"""
    source = _tree(tmp_path / "c", {"ann/99-nope/cnn_layers.ipynb": _nb()})
    with pytest.raises(ValueError, match="unknown assignment '99-nope'"):
        import_submissions(source, tmp_path / "w")


def test_source_is_never_modified(tmp_path):
    """Are the instructor's files left as they were, byte for byte?"""
    entries = {f"Anne Marie/{A}/cnn_layers.ipynb": _nb(), f"Anne Marie/{A}/data.csv": "1,2"}
    source = _tree(tmp_path / "c", entries)
    before = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    import_submissions(source, tmp_path / "w")
    assert before == {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    assert _submitted(tmp_path / "w") == [
        f"anne-marie/{A}/cnn_layers.ipynb",
        f"anne-marie/{A}/data.csv",
    ]


def test_files_in_subfolders_are_kept_in_the_folders_layout(tmp_path):
    """Are a student's data files and nested notebooks copied, without upsetting detection?"""
    entries = {f"ann/{A}/cnn_layers.ipynb": _nb(), f"ann/{A}/extra/scratch.ipynb": _nb()}
    import_submissions(_zip(tmp_path / "c.zip", entries), tmp_path / "w")
    assert _submitted(tmp_path / "w") == [
        f"ann/{A}/cnn_layers.ipynb",
        f"ann/{A}/extra/scratch.ipynb",
    ]


def test_moodle_download_of_no_known_notebook_needs_the_assignment(tmp_path):
    """Is a Moodle download whose notebooks match no assignment refused naming --assignment?"""
    source = _tree(tmp_path / "m", {"Jane Doe_1_assignsubmission_file_/mine.ipynb": _nb()})
    with pytest.raises(ValueError, match="--assignment"):
        import_submissions(source, tmp_path / "w")
    assert import_submissions(source, tmp_path / "w", assignment=A)[A] == ["jane-doe"]


def test_unknown_keep_choice_is_refused(tmp_path):
    """Is a keep policy other than newest, first or refuse refused naming the choices?"""
    source = _tree(tmp_path / "c", {f"ann/{A}/cnn_layers.ipynb": _nb()})
    with pytest.raises(ValueError, match="newest, first, refuse"):
        import_submissions(source, tmp_path / "w", keep="last")


def test_a_file_that_is_no_zip_is_refused(tmp_path):
    """Is a submissions file that is not a zip (a .tar, a notebook) refused saying so?"""
    (tmp_path / "class.tar").write_text("not a zip")
    with pytest.raises(ValueError, match="neither a folder nor a zip"):
        import_submissions(tmp_path / "class.tar", tmp_path / "w")


def test_an_empty_assignment_folder_is_a_missing_submission(tmp_path):
    """Is a student whose <student>/<assignment>/ folder holds no notebook still listed (to be
    graded as a missing notebook), in a folder and in a zip wrapped in one top folder?"""
    import zipfile as _zipfile

    from course.grading.intake import import_submissions
    from course.paths import NOTEBOOKS_DIR, assignments, notebook_names

    assignment = assignments()[0]
    name = notebook_names(assignment)[0]
    export = tmp_path / "export" / "wrap"
    (export / "ada" / assignment).mkdir(parents=True)
    (export / "ada" / assignment / f"{name}.ipynb").write_bytes(
        (NOTEBOOKS_DIR / assignment / f"{name}.ipynb").read_bytes()
    )
    (export / "ben" / assignment).mkdir(parents=True)
    archive = tmp_path / "class.zip"
    with _zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(export.parent.rglob("*")):
            zf.write(path, path.relative_to(export.parent))
    for source in (export, archive):
        workspace = tmp_path / f"w-{source.suffix or 'dir'}"
        found = import_submissions(source, workspace)
        assert found[assignment] == ["ada", "ben"], (source, found)
        assert (workspace / "submitted" / "ben" / assignment).is_dir()
