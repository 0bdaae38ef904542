"""The course's Keras models, one module per family:

- ``course.models.vgg``: VGG16 layer by layer, VGG blocks, the small pretrained VGG
  (notebooks 02, 04, 05);
- ``course.models.task_models``: a small model per vision task (notebook 01);
- ``course.models.classic``: LeNet-5, Inception, ResNet, EfficientNet's scaling (notebook 05);
- ``course.models.grid_detector``: a one-stage grid detector and its loss (notebook 06);
- ``course.models.gan``: a GAN on 8x8 digits, with its own ``train_step`` (notebook 06);
- ``course.models.mask_head``: Mask R-CNN's mask head, small, on boxes' crops (notebook 06).

The notebooks reach them as ``models.vgg.build_vgg16()``, ``models.classic.lenet5()``, ...
(importing this package imports them all, and so Keras). This package also holds
``build_if_written``, which the notebooks' training cells call on the student's builders
(notebooks 01, 06).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from course.models import classic, gan, grid_detector, mask_head, task_models, vgg

__all__ = [
    "build_if_written",
    "classic",
    "gan",
    "grid_detector",
    "mask_head",
    "task_models",
    "vgg",
]


def build_if_written(build: Callable[..., Any], *args: Any, **kwargs: Any):
    """``build(*args, **kwargs)``, or None (with a note) while it is nbgrader's placeholder.

    Lets the notebook's training cells run on an untouched notebook: nothing is trained, and the
    grade cell below reports the missing answer.
    """
    try:
        return build(*args, **kwargs)
    except NotImplementedError:
        name = getattr(build, "__name__", "the builder")
        print(f"{name}() is not written yet: write it above, then run this cell again.")
        return None
