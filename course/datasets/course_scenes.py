"""The ``course_scenes`` TensorFlow Datasets builder: ``course.datasets.scenes``, made locally.

Importing this module registers the builder, after which ``tfds.load("course_scenes/single")``
works offline (``course.datasets.load`` does both). Nothing is downloaded: the examples are
drawn by ``course.datasets.scenes.iter_scenes`` from fixed seeds, so every machine makes the
same data. Used by notebooks 01 (a TFDS pipeline) and 06 (``course_scenes/multi``).

Each example holds:
  image: (64, 64, 3) uint8, the scene's float image times 255, rounded.
  label: int64 class index into CLASS_NAMES, of the first (or only) object.
  bbox: that object's box as a ``tfds.features.BBox``: (y_min, x_min, y_max, x_max), each
    divided by the image side, so in [0, 1] (``course.boxes.tfds_to_xywh`` converts back).
  objects: {"label": (n,) int64, "bbox": (n, 4) float32} for all n objects, same box form.
  segmentation_mask: (64, 64, 1) uint8, 0 = background, class index + 1 on object pixels.

Example i of a split is scene i of ``scenes.make_scenes(n, seed, 64, num_objects)``
with that split's size and seed (see ``SceneConfig.splits``); the files keep that order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np
import tensorflow_datasets as tfds

from course.boxes import xywh_to_tfds
from course.datasets import scenes

SIZE = 64
"""Image side, in pixels."""


@dataclasses.dataclass(eq=False)
class SceneConfig(tfds.core.BuilderConfig):
    """A configuration: num_objects per scene (an int or a (min, max) pair) and, per split,
    (split name, number of examples, seed)."""

    num_objects: int | tuple[int, int] = 1
    splits: tuple[tuple[str, int, int], ...] = ()


class CourseScenes(tfds.core.GeneratorBasedBuilder):
    """Synthetic scenes of circles, squares and triangles, for classification, detection,
    segmentation and generation."""

    # Bump VERSION whenever course.datasets.scenes draws differently, or prepared copies go stale.
    VERSION = tfds.core.Version("1.0.0")
    RELEASE_NOTES = {"1.0.0": "First release."}
    BUILDER_CONFIGS = [
        SceneConfig(
            name="single",
            description="One object per image.",
            num_objects=1,
            splits=(("train", 4000, 1), ("test", 1000, 2)),
        ),
        SceneConfig(
            name="multi",
            description="1 to 4 objects per image; later objects may cover part of earlier ones.",
            num_objects=(1, 4),
            splits=(("train", 2000, 3), ("test", 500, 4)),
        ),
    ]

    def _info(self) -> tfds.core.DatasetInfo:
        label = tfds.features.ClassLabel(names=scenes.CLASS_NAMES)
        box_doc = "(y_min, x_min, y_max, x_max) divided by the image side, in [0, 1]"
        return self.dataset_info_from_configs(
            description=__doc__,
            features=tfds.features.FeaturesDict(
                {
                    "image": tfds.features.Image(shape=(SIZE, SIZE, 3), dtype=np.uint8),
                    "label": label,
                    "bbox": tfds.features.BBoxFeature(doc=box_doc),
                    "objects": tfds.features.Sequence(
                        {
                            "label": tfds.features.ClassLabel(names=scenes.CLASS_NAMES),
                            "bbox": tfds.features.BBoxFeature(doc=box_doc),
                        }
                    ),
                    "segmentation_mask": tfds.features.Image(
                        shape=(SIZE, SIZE, 1),
                        dtype=np.uint8,
                        doc="0 = background, class index + 1 on object pixels",
                    ),
                }
            ),
            supervised_keys=("image", "label"),
            disable_shuffling=True,  # example i is scene i of its seed
            homepage=None,
            license="MIT",
        )

    def _split_generators(self, dl_manager: tfds.download.DownloadManager) -> dict[str, Any]:
        del dl_manager  # everything is drawn locally: nothing to download
        config = self.builder_config
        return {
            split: self._generate_examples(n=n, seed=seed, num_objects=config.num_objects)
            for split, n, seed in config.splits
        }

    def _generate_examples(
        self, n: int, seed: int, num_objects: int | tuple[int, int]
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        for i, scene in enumerate(scenes.iter_scenes(n, seed, SIZE, num_objects)):
            bboxes = xywh_to_tfds(scene.boxes, SIZE)
            yield (
                i,
                {
                    "image": np.round(scene.image * 255).astype(np.uint8),
                    "label": int(scene.labels[0]),
                    "bbox": tfds.features.BBox(*(float(v) for v in bboxes[0])),
                    "objects": {"label": scene.labels, "bbox": bboxes},
                    "segmentation_mask": scene.semantic_mask[:, :, None],
                },
            )
