"""How the course scores a model's outputs: accuracy, box IoU, mask IoU, instance matching,
image quality, and whether generated samples are new and plausible.

The graded checks (``course.exercises``) and the notebooks' own cells use these, so the numbers a
student sees are the numbers that are graded. Used by notebooks 01 (every task) and 06 (the
GAN's samples, instance masks).

Instance masks are (H, W) ints: 0 = background, and one id > 0 per object (any ids, not
necessarily 1..n). A predicted instance *matches* a true one when their masks have an IoU above
the threshold (strictly; 0.5 by default). Above 0.5 a predicted instance can match at most one
true instance and the other way round, so counting the pairs is a one-to-one matching (as in the
Data Science Bowl 2018 and StarDist evaluations).
"""

from __future__ import annotations

import numpy as np

from course.boxes import box_iou


def predict(model, x: np.ndarray, batch_size: int = 256):
    """``model.predict(x)`` without the progress bar."""
    return model.predict(x, batch_size=batch_size, verbose=0)


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of rows whose highest probability is the true class.

    probabilities: (N, C); labels: (N,) int."""
    return float(np.mean(np.argmax(probabilities, axis=-1) == np.asarray(labels)))


def mean_box_iou(predicted: np.ndarray, true: np.ndarray) -> float:
    """Mean IoU of matching (x, y, w, h) boxes. predicted, true: (N, 4) in the same units."""
    return float(np.mean(box_iou(predicted, true)))


def mask_mean_iou(probabilities: np.ndarray, masks: np.ndarray, threshold: float = 0.5) -> float:
    """``keras.metrics.MeanIoU`` over the two classes background / object.

    probabilities: (N, H, W) or (N, H, W, 1) of "object"; masks: (N, H, W) 0/1 (or class ids:
    anything > 0 is an object). The mean of the IoU of the background and of the objects.
    """
    import keras

    predicted = (np.asarray(probabilities).reshape(np.shape(masks)) > threshold).astype("int32")
    metric = keras.metrics.MeanIoU(num_classes=2)
    metric.update_state((np.asarray(masks) > 0).astype("int32"), predicted)
    return float(metric.result())


def instance_ious(true_mask: np.ndarray, pred_mask: np.ndarray) -> tuple[np.ndarray, list, list]:
    """Mask IoU of every (true, predicted) pair of instances.

    true_mask, pred_mask: (H, W) ints (0 = background). Returns (ious (T, P) float, true ids,
    predicted ids)."""
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    if true_mask.shape != pred_mask.shape:
        raise ValueError(
            f"masks of shapes {true_mask.shape} and {pred_mask.shape}: give both the same (H, W)."
        )
    true_ids = [int(i) for i in np.unique(true_mask) if i != 0]
    pred_ids = [int(i) for i in np.unique(pred_mask) if i != 0]
    ious = np.zeros((len(true_ids), len(pred_ids)))
    for a, t in enumerate(true_ids):
        on_t = true_mask == t
        for b, p in enumerate(pred_ids):
            on_p = pred_mask == p
            union = np.logical_or(on_t, on_p).sum()
            ious[a, b] = np.logical_and(on_t, on_p).sum() / union
    return ious, true_ids, pred_ids


def match_counts(
    true_mask: np.ndarray, pred_mask: np.ndarray, iou_threshold: float = 0.5
) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives): matched pairs (IoU > threshold),
    predicted instances left unmatched, true instances left unmatched (for threshold >= 0.5)."""
    ious, true_ids, pred_ids = instance_ious(true_mask, pred_mask)
    tp = int(np.sum(ious > iou_threshold))
    return tp, len(pred_ids) - tp, len(true_ids) - tp


def f1(tp: int, fp: int, fn: int) -> float:
    """2 TP / (2 TP + FP + FN): 1 when every instance is found once, and nothing else."""
    total = 2 * tp + fp + fn
    return 2 * tp / total if total else 1.0


def total_counts(
    true_masks: np.ndarray, pred_masks: np.ndarray, iou_threshold: float = 0.5
) -> tuple[int, int, int]:
    """``match_counts`` summed over a batch of instance masks (N, H, W) -> (tp, fp, fn)."""
    totals = np.zeros(3, int)
    for true_mask, pred_mask in zip(true_masks, pred_masks, strict=True):
        totals += match_counts(true_mask, pred_mask, iou_threshold)
    return int(totals[0]), int(totals[1]), int(totals[2])


def nearest_distances(samples: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Euclidean distance from each sample to its nearest reference image.

    samples: (N, ...) and reference: (M, ...) images of the same shape. Returns (N,) float64.
    """
    a = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1)
    b = np.asarray(reference, dtype=np.float64).reshape(len(reference), -1)
    squared = (a**2).sum(1)[:, None] - 2 * a @ b.T + (b**2).sum(1)[None, :]
    return np.sqrt(np.maximum(squared.min(axis=1), 0.0))


def manifold_precision(samples: np.ndarray, reference: np.ndarray, k: int = 3) -> float:
    """Fraction of samples that look like the reference data (Kynkäänniemi et al., 2019).

    Each reference image gets a ball reaching its k-th nearest other reference image; a sample
    is plausible when it lies inside at least one ball. Real held-out images score about 0.9,
    noise or blank images 0. samples: (N, ...), reference: (M, ...) of the same image shape.
    """
    a = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1)
    b = np.asarray(reference, dtype=np.float64).reshape(len(reference), -1)
    sq_b = (b**2).sum(1)
    within = np.sqrt(np.maximum(sq_b[:, None] - 2 * b @ b.T + sq_b[None, :], 0.0))
    radius = np.sort(within, axis=1)[:, k]  # column 0 is the image itself
    to_samples = np.sqrt(np.maximum((a**2).sum(1)[:, None] - 2 * a @ b.T + sq_b[None, :], 0.0))
    return float(np.mean((to_samples <= radius[None, :]).any(axis=1)))


def digit_recogniser(x_train: np.ndarray, y_train: np.ndarray):
    """A 5-nearest-neighbour digit classifier (scikit-learn), fitted on (N, 8, 8) images."""
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5).fit(
        np.asarray(x_train).reshape(len(x_train), -1), y_train
    )


def psnr(predicted: np.ndarray, true: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB for images in [0, 1], averaged over the images.

    predicted, true: (N, ...) of the same shape. Higher is better; +3 dB halves the error.
    """
    error = (np.asarray(predicted, np.float64) - np.asarray(true, np.float64)) ** 2
    mse = error.reshape(len(error), -1).mean(axis=1)
    return float(np.mean(10 * np.log10(1.0 / np.maximum(mse, 1e-10))))
