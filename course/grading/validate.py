"""Validate one notebook as nbgrader does, but report failures instead of exiting 0."""

from __future__ import annotations

from pathlib import Path


def validate(notebook: Path) -> list[str]:
    """Execute ``notebook`` and run its tests; one line per failing or tampered cell (empty: pass).

    Raises FileNotFoundError if the notebook does not exist.
    """
    from nbgrader.validator import Validator

    notebook = Path(notebook)
    if not notebook.is_file():
        raise FileNotFoundError(f"no notebook at {notebook}")
    results = Validator().validate(str(notebook.resolve()))
    lines = []
    for cell in results.get("type_changed", []):
        lines.append(f"cell type changed from {cell['old_type']}: {cell['source'][:60]!r}")
    for cell in results.get("changed", []):
        lines.append(f"a locked test cell was edited: {cell['source'].splitlines()[0][:70]!r}")
    for cell in results.get("failed", []):
        error = cell["raw_error"].strip().splitlines()
        lines.append(f"{cell['source'].splitlines()[0][:70]!r}: {error[-1] if error else ''}")
    return lines
