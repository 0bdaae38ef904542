"""The course's figures, all drawn with matplotlib; every function returns the figure
(``plt.show()`` displays it). One module per kind of figure, every function also here:

- ``course.viz.images``: images in a grid, feature maps, filters, digits;
- ``course.viz.boxes``: boxes on images (scenes, detections, predicted boxes, a detector's grid);
- ``course.viz.masks``: masks (outlines, errors, semantic vs instance, instances, crops);
- ``course.viz.curves``: training curves (one run, runs, seeds) and named series;
- ``course.viz.charts``: values per layer, times, a confusion matrix.

Used by notebooks 01, 02, 03, 04, 05 and 06 (``from course import viz``, then ``viz.plot_...``).
"""

from course.viz.boxes import (
    BOX_COLOURS,
    draw_boxes,
    plot_boxes,
    plot_detections,
    plot_grid_targets,
    plot_scene_detections,
    plot_scenes,
)
from course.viz.charts import plot_confusion_matrix, plot_layer_bars, plot_shapes, plot_times
from course.viz.curves import (
    as_dict,
    plot_curves,
    plot_fits,
    plot_history,
    plot_learning_rates,
    plot_runs,
    plot_seeds,
)
from course.viz.images import axes_grid, plot_digits, plot_feature_maps, plot_filters, plot_images
from course.viz.masks import (
    INSTANCE_COLOURS,
    error_map,
    outline,
    plot_instances,
    plot_mask_crops,
    plot_masks,
    plot_semantic_vs_instance,
)

__all__ = [
    "BOX_COLOURS",
    "INSTANCE_COLOURS",
    "as_dict",
    "axes_grid",
    "draw_boxes",
    "error_map",
    "outline",
    "plot_boxes",
    "plot_confusion_matrix",
    "plot_curves",
    "plot_detections",
    "plot_digits",
    "plot_feature_maps",
    "plot_filters",
    "plot_fits",
    "plot_grid_targets",
    "plot_history",
    "plot_images",
    "plot_instances",
    "plot_layer_bars",
    "plot_learning_rates",
    "plot_mask_crops",
    "plot_masks",
    "plot_runs",
    "plot_scene_detections",
    "plot_scenes",
    "plot_seeds",
    "plot_semantic_vs_instance",
    "plot_shapes",
    "plot_times",
]
