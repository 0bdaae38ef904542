"""The course's own TensorFlow Datasets, made locally (nothing is downloaded).

``load("course_scenes/single")`` prepares the dataset on first use (a few seconds) in the
course's data folder and returns it as ``tfds.load`` does. Importing this package imports
neither TensorFlow nor TensorFlow Datasets; ``load`` does, on first call.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DATA_DIR_ENV = "COURSE_DATA_DIR"
"""Environment variable that, when set, is the folder the datasets are prepared in."""


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
    return tfds.load(name, split=split, data_dir=os.fspath(data_dir), **kwargs)
