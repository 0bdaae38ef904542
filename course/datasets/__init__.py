"""The course's data, all made or shipped offline: one place to find every dataset.

Named datasets, here:

- ``load("course_scenes/single")`` / ``"course_scenes/multi"``: the course's own TensorFlow
  Datasets (``course_scenes``, the TFDS builder of ``scenes``), prepared on first use (a few
  seconds) in the course's data folder and returned as ``tfds.load`` does; grading prepares
  them once (``prepare_all``) for every sandbox (notebooks 01, 06);
- ``digits(split, ...)``: scikit-learn's handwritten digits, split the course's ways
  (``handwritten``; notebooks 01, 03, 05, 06);
- ``batches(x, y, ...)``: arrays into a cached ``tf.data`` pipeline (``pipeline``; notebook 03).

And one module per source, imported with this package (``datasets.faces.face_data()``):
``scenes`` (the synthetic scenes generator and its splits; notebooks 01, 03, 04, 06),
``multi_scenes`` (scenes of several objects as arrays, from ``course_scenes/multi`` and drawn
directly; notebook 06), ``shapes`` (notebook 04's source and target tasks), ``faces`` (notebook
01's face detector), ``photos`` (scikit-image's photos; notebooks 01, 02, 04). ``histories``
(training runs recorded under data/; notebook 03) reads data/ when imported: ``from
course.datasets import histories``.

Importing this package imports neither TensorFlow nor TensorFlow Datasets; ``load`` does, on
first call. The preparation says so in one line: TFDS's own "Downloading and preparing
dataset" (nothing is downloaded), its absl warnings and progress bars are not shown.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import time
from pathlib import Path
from typing import Any

from course.datasets import faces, multi_scenes, photos, scenes, shapes
from course.datasets.handwritten import digits
from course.datasets.pipeline import batches

__all__ = [
    "NAMES",
    "batches",
    "default_data_dir",
    "digits",
    "faces",
    "load",
    "multi_scenes",
    "photos",
    "prepare",
    "prepare_all",
    "scenes",
    "shapes",
]

DATA_DIR_ENV = "COURSE_DATA_DIR"
"""Environment variable that, when set, is the folder the datasets are prepared in."""
NAMES = ("course_scenes/single", "course_scenes/multi")
"""Every dataset of the course (``prepare_all`` makes them all)."""


def default_data_dir() -> Path:
    """$COURSE_DATA_DIR if set, else ~/.cache/cv-course/tensorflow_datasets."""
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]).expanduser()
    return Path.home() / ".cache" / "cv-course" / "tensorflow_datasets"


def register() -> None:
    """Register the course's builders with TensorFlow Datasets, so that ``tfds.load`` and
    ``tfds.builder`` find "course_scenes"."""
    try:
        from course.datasets import course_scenes  # noqa: F401  (importing registers it)
    except ModuleNotFoundError as error:
        if error.name == "importlib_resources":
            raise ModuleNotFoundError(
                "tensorflow-datasets needs the importlib_resources package on this Python: "
                "run `pip install importlib_resources` (or reinstall the course with pip)."
            ) from error
        raise


@contextlib.contextmanager
def quiet_tfds():
    """TFDS's preparation output hidden for the block: its stdout lines ("Downloading and
    preparing dataset ..."), absl log records below ERROR and its progress bars."""
    import tensorflow_datasets as tfds
    from tensorflow_datasets.core.utils import tqdm_utils

    absl_logger = logging.getLogger("absl")
    level, bars = absl_logger.level, getattr(tqdm_utils, "_active", True)
    absl_logger.setLevel(logging.ERROR)
    tfds.display_progress_bar(False)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        absl_logger.setLevel(level)
        tfds.display_progress_bar(bars)


def prepare(builder: Any) -> None:
    """Prepare a TFDS ``builder``'s data if it is not yet, saying so in one line."""
    if builder.is_prepared():
        return
    print(
        f"Preparing {builder.info.full_name} in {builder.data_dir} (built here, nothing is "
        "downloaded; once) ...",
        end=" ",
        flush=True,
    )
    start = time.perf_counter()
    with quiet_tfds():
        builder.download_and_prepare()
    print(f"done in {time.perf_counter() - start:.0f} s.", flush=True)


def prepare_all(data_dir: str | os.PathLike | None = None) -> Path:
    """Prepare every course dataset in ``data_dir`` (default ``default_data_dir()``), once;
    the folder. Grading does it before the students' sandboxes start, which then read it
    (read-only) instead of each preparing its own copy."""
    register()
    import tensorflow_datasets as tfds

    data_dir = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    for name in NAMES:
        with quiet_tfds():
            builder = tfds.builder(name, data_dir=os.fspath(data_dir))
        prepare(builder)
    return data_dir


def load(
    name: str = "course_scenes/single",
    split: Any = "train",
    data_dir: str | os.PathLike | None = None,
    **kwargs: Any,
) -> Any:
    """``tfds.load(name, split=split, data_dir=...)`` for the course's datasets, offline.

    name: "course_scenes/single" (one object per image) or "course_scenes/multi" (1 to 4).
    data_dir: where to prepare and read the data; default ``default_data_dir()``.
    kwargs: passed on to ``tfds.load`` (e.g. ``as_supervised=True``, ``with_info=True``).
    Returns what ``tfds.load`` returns, e.g. a ``tf.data.Dataset`` of feature dicts.
    """
    register()
    import tensorflow_datasets as tfds

    data_dir = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    with quiet_tfds():  # making the builder logs an absl warning while it is not prepared
        builder = tfds.builder(name, data_dir=os.fspath(data_dir))
    prepare(builder)
    return tfds.load(name, split=split, data_dir=os.fspath(data_dir), **kwargs)
