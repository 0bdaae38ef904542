"""course.models.mask_head: the mask head's inputs and outputs."""

from __future__ import annotations

import numpy as np

from course.models.mask_head import build_mask_head


def test_mask_head_shapes():
    """Does the head map (N, crop, crop, 3) to (N, crop, crop, 1) probabilities?"""
    head = build_mask_head(crop=12)
    out = np.asarray(head.predict(np.zeros((3, 12, 12, 3), np.float32), verbose=0))
    assert out.shape == (3, 12, 12, 1) and np.all((out >= 0) & (out <= 1))
