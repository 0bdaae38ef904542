"""course.detection.grid: target grids and decoding, against grids worked out by hand."""

from __future__ import annotations

import numpy as np

from course import detection
from course.datasets import scenes


def test_encode_puts_each_object_in_the_cell_of_its_centre():
    """Is a box centred at (21, 43) in a 64x64 image, 8x8 grid, in row 5, column 2, with offsets
    (0.625, 0.375), size / 64 and a one-hot class, and is every other cell zero?"""
    grid = detection.grid.encode(np.array([[15.0, 38.0, 12.0, 10.0]]), np.array([2]))
    assert grid.shape == (8, 8, 8)
    np.testing.assert_allclose(grid[5, 2], [1, 0.625, 0.375, 12 / 64, 10 / 64, 0, 0, 1])
    assert np.count_nonzero(grid) == np.count_nonzero(grid[5, 2])


def test_encode_later_object_replaces_an_earlier_one_in_the_same_cell():
    """Do two centres in one cell leave only the second object, class included?"""
    grid = detection.grid.encode(np.array([[0.0, 0.0, 4.0, 4.0], [1.0, 1.0, 2.0, 2.0]]), [0, 1])
    np.testing.assert_allclose(grid[0, 0], [1, 0.25, 0.25, 2 / 64, 2 / 64, 0, 1, 0])


def test_encode_centre_on_a_cell_edge_goes_to_the_next_cell_and_empty_scene_is_zero():
    """Is a centre at exactly x = 16 in column 2 (offset 0), and is a scene of no object all 0?"""
    grid = detection.grid.encode(np.array([[12.0, 12.0, 8.0, 8.0]]), [0], grid_size=8)
    assert grid[2, 2, 0] == 1 and grid[2, 2, 1] == 0
    assert not detection.grid.encode(np.zeros((0, 4)), np.zeros(0, int)).any()


def test_decode_inverts_encode_on_scenes():
    """Does decoding a scene's target grid give back its boxes and labels?"""
    data = scenes.make_scenes(20, seed=5, size=64, num_objects=(1, 4))
    for boxes, labels in detection.grid.truths(data["boxes"], data["labels"]):
        grid = detection.grid.encode(boxes, labels)
        if int(grid[..., 0].sum()) < len(labels):
            continue  # two centres shared a cell: one object is left out, by design
        got, scores, got_labels = detection.grid.decode(grid)
        order = np.lexsort(got.T[::-1])
        expected = np.lexsort(boxes.T[::-1])
        np.testing.assert_allclose(got[order], boxes[expected], atol=1e-4)
        np.testing.assert_array_equal(got_labels[order], labels[expected])
        assert np.all(scores == 1)


def test_decode_keeps_only_cells_above_the_threshold():
    """Does a cell of objectness exactly 0.5 stay out at threshold 0.5, and 0.6 come in?"""
    grid = np.zeros((4, 4, 8))
    grid[1, 2, :5] = [0.5, 0.5, 0.5, 0.25, 0.25]
    grid[3, 0, :5] = [0.6, 0.0, 1.0, 0.5, 0.125]
    grid[3, 0, 6] = 1
    boxes, scores, labels = detection.grid.decode(grid, image_size=32)
    np.testing.assert_allclose(boxes, [[-8.0, 30.0, 16.0, 4.0]])
    np.testing.assert_allclose(scores, [0.6])
    assert labels.tolist() == [1]
