"""A computer-vision course in Keras 3: the helper library its notebooks import.

The library is organised by topic, one home per concern: ``datasets`` (every dataset the
course uses, offline), ``models`` (its Keras models), ``viz`` (its figures), ``boxes``,
``metrics``, ``detection``, ``segmentation``, ``filters``, ``formulas``, ``transfer``,
``benchmarks``, ``internet``; ``checking`` and ``exercises`` check the students' answers,
``alternatives`` and ``mistakes`` plant right and wrong ones; ``grading`` and ``judge`` grade a
class; ``paths`` and ``cells`` are shared by all of them. ``NOTEBOOK_MODULES`` says which modules
each notebook uses, and each module's docstring says which notebooks use it (d2l's "Defined
in section ...").

Importing ``course`` does not import TensorFlow; the modules that need it
(``course.models``, the checks) import it on first use.
"""

import os
import sys

# jsonschema (under nbformat and nbgrader) imports rfc3987_syntax when it is installed, for its
# "iri" format checker, and that module compiles a grammar when imported: 1.1 s of every
# process that reads a notebook (the CLI, each nbgrader batch). No schema the course
# validates uses that format; jsonschema skips the checker when the import fails.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

# Keras 3 on TensorFlow, without TensorFlow's start-up chatter.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from course import quiet  # noqa: E402

quiet.install()  # absl/cudart lines that ignore TF_CPP_MIN_LOG_LEVEL

__version__ = "0.1.0"

#: notebook (a folder of solutions/) -> the helper modules it uses, by their home.
NOTEBOOK_MODULES: dict[str, tuple[str, ...]] = {
    "01-tasks": (
        "course.boxes",
        "course.datasets",
        "course.datasets.faces",
        "course.datasets.handwritten",
        "course.datasets.photos",
        "course.datasets.scenes",
        "course.detection",
        "course.detection.nms",
        "course.detection.sliding_window",
        "course.metrics",
        "course.models",
        "course.models.task_models",
        "course.viz",
        "course.viz.boxes",
        "course.viz.curves",
        "course.viz.images",
        "course.viz.masks",
        "course.exercises.tasks",
    ),
    "02-cnn-layers": (
        "course.datasets.photos",
        "course.filters",
        "course.formulas",
        "course.models.vgg",
        "course.viz",
        "course.viz.charts",
        "course.viz.curves",
        "course.viz.images",
        "course.exercises.cnn_layers",
    ),
    "03-compilation": (
        "course.datasets.handwritten",
        "course.datasets.histories",
        "course.datasets.pipeline",
        "course.datasets.scenes",
        "course.viz",
        "course.viz.boxes",
        "course.viz.charts",
        "course.viz.curves",
        "course.exercises.compilation",
    ),
    "04-transfer": (
        "course.datasets.photos",
        "course.datasets.scenes",
        "course.datasets.shapes",
        "course.internet",
        "course.models.vgg",
        "course.transfer",
        "course.viz",
        "course.viz.charts",
        "course.viz.curves",
        "course.viz.images",
        "course.exercises.transfer",
    ),
    "05-architectures": (
        "course.benchmarks",
        "course.datasets.handwritten",
        "course.formulas",
        "course.models.classic",
        "course.models.vgg",
        "course.viz",
        "course.viz.charts",
        "course.viz.curves",
        "course.viz.images",
        "course.exercises.architectures",
    ),
    "06-detection-and-generation": (
        "course.datasets",
        "course.datasets.handwritten",
        "course.datasets.multi_scenes",
        "course.detection",
        "course.detection.grid",
        "course.detection.mean_ap",
        "course.detection.nms",
        "course.metrics",
        "course.models",
        "course.models.gan",
        "course.models.grid_detector",
        "course.models.mask_head",
        "course.segmentation",
        "course.viz",
        "course.viz.boxes",
        "course.viz.images",
        "course.viz.masks",
        "course.exercises.detection_generation",
    ),
}
