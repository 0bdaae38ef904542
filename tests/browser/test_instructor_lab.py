"""The instructor's JupyterLab (`course lab`) in Chromium (issue #12): the formgrader works on
the first load of a new course copy (no gradebook yet), lists every assignment, shows no
exchange banner, and its links open solutions/ and notebooks/ in the file browser."""

from __future__ import annotations

import re
import time


def _assignments(course) -> list[str]:
    return sorted(p.name for p in (course / "solutions").iterdir() if any(p.glob("*.ipynb")))


def test_formgrader_on_first_load(instructor_lab, page, shot):
    """Nbgrader > Formgrader: every assignment listed, no 500, no banner, links that work."""
    course = instructor_lab.course
    assert not (course / "autograder" / "gradebook.db").exists()  # a first load indeed
    statuses = {}
    page.on("response", lambda r: statuses.setdefault(r.url.split("?")[0], r.status))
    page.goto(instructor_lab.page_url("/lab"))
    page.locator(".jp-DirListing-item").first.wait_for(timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$")).click()
    items = page.locator(".lm-Menu-content .lm-Menu-itemLabel")
    for tool in ("Formgrader", "Course List", "Create assignment", "Assignment List"):
        assert items.filter(has_text=re.compile(f"^{re.escape(tool)}$")).count() == 1
    start = time.perf_counter()
    items.filter(has_text=re.compile("^Formgrader$")).click()
    frame = page.frame_locator("iframe")
    names = _assignments(course)
    frame.locator("#main-table tr td a", has_text=names[-1]).wait_for(timeout=90_000)
    print(
        f"\n[formgrader listed {len(names)} assignments {time.perf_counter() - start:.1f} s "
        "after the click, on a first load]"
    )
    rows = frame.locator("#main-table tr td:first-child").all_inner_texts()
    assert [row.strip() for row in rows] == names
    assert frame.locator(".alert").count() == 0  # no exchange, course-id or setup banner
    assert frame.get_by_text("Loading, please wait").count() == 0
    api = instructor_lab.url + "/formgrader/api/assignments"
    assert statuses.get(api) == 200
    assert [u for u, s in statuses.items() if s >= 500] == []
    assert (course / "autograder" / "gradebook.db").is_file()
    assert (course / "build" / "lab" / "exchange").is_dir()
    shot(page, "formgrader")

    frame.locator("#main-table a", has_text=re.compile("^02-cnn-layers$")).click()
    crumbs = page.locator(".jp-FileBrowser-crumbs")
    crumbs.filter(has_text="solutions/02-cnn-layers").wait_for(timeout=30_000)
    listing = page.locator(".jp-DirListing-item .jp-DirListing-itemName")
    listing.filter(has_text="cnn_layers.ipynb").wait_for()

    page.get_by_role("tab", name=re.compile("Formgrader")).click()
    preview = frame.locator("#main-table tr", has_text="02-cnn-layers").locator(
        "a:has(.glyphicon-search)"
    )
    preview.click()
    crumbs.filter(has_text="notebooks/02-cnn-layers").wait_for(timeout=30_000)
    assert page.console.problems() == []
