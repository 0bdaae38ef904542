"""Object detection: finding the objects of an image, each as a class, a score and a box.

- ``course.detection.sliding_window``: a classifier scored on every window of a photo, and
  hard negative mining (notebook 01's face detector);
- ``course.detection.nms``: non-maximum suppression, over all boxes or per class (notebooks 01
  and 06);
- ``course.detection.grid``: a one-stage grid detector's target grids, decoding and detection
  (notebook 06; its model is ``course.models.grid_detector``);
- ``course.detection.mean_ap``: mean average precision at an IoU threshold (notebook 06).

Boxes are (x, y, w, h) pixels (``course.boxes``). The notebooks call ``detection.scan``,
``detection.non_max_suppression``, ``detection.mean_average_precision``, ... and
``detection.grid.encode``: every function is here. Importing this package does not import
TensorFlow; NMS does, on first call.
"""

from course.detection import grid, mean_ap, nms, sliding_window
from course.detection.mean_ap import average_precision, mean_average_precision
from course.detection.nms import non_max_suppression, non_max_suppression_per_class
from course.detection.sliding_window import hard_negatives, scan

__all__ = [
    "average_precision",
    "grid",
    "hard_negatives",
    "mean_ap",
    "mean_average_precision",
    "nms",
    "non_max_suppression",
    "non_max_suppression_per_class",
    "scan",
    "sliding_window",
]
