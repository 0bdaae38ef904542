"""Notebook 01's generation checks: ``sample_digits`` draws its codes from N(0, I), and the
digits it decodes are new, plausible and varied (``course.metrics``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course import metrics
from course.checking.asserts import call_answer as _call
from course.checking.asserts import describe as _describe
from course.checking.asserts import to_numpy as _to_numpy
from course.checking.crashes import student_check

SAMPLES_MIN_DISTANCE = 0.01
"""Every generated digit must be at least this far (Euclidean, pixels in [0, 1]) from every
training image: a copy is at distance 0."""

SAMPLES_MIN_PRECISION = 0.60
"""Fraction of generated digits that must look like real digits (``manifold_precision``; real
held-out digits: about 0.9; noise, blank or average images: 0)."""

SAMPLES_MIN_DIGITS = 6
"""Distinct digits (0-9) a nearest-neighbour recogniser must see among 100 samples."""


def probe_decoder(latent_dim: int = 64):
    """A 'decoder' that returns its latent code reshaped to 8x8: shows what was sampled."""
    import keras

    return keras.Sequential([keras.Input(shape=(latent_dim,)), keras.layers.Reshape((8, 8))])


def _samples(fn: Callable, decoder, n: int, latent_dim: int, seed: int) -> np.ndarray:
    call = f"sample_digits(decoder, n={n}, latent_dim={latent_dim}, seed={seed})"
    got = _to_numpy(_call(fn, decoder, n, latent_dim=latent_dim, seed=seed))
    assert isinstance(got, np.ndarray) and got.shape == (n, 8, 8), (
        f"{call} returned {_describe(got)}; expected a NumPy array of shape ({n}, 8, 8)."
    )
    return got.astype(np.float64)


@student_check
def check_sample_digits(fn: Callable, n: int = 200, seed: int = 0) -> None:
    """Does ``fn(decoder, n, latent_dim, seed)`` decode n codes drawn from N(0, I)?

    Uses a probe decoder that returns its input, so the codes themselves are checked: mean 0,
    standard deviation 1, a normal shape, reproducible with the seed, different across seeds."""
    decoder = probe_decoder(64)
    call = f"sample_digits(decoder, n={n}, latent_dim=64, seed={seed})"
    z = _samples(fn, decoder, n, 64, seed)
    mean, std, within = z.mean(), z.std(), np.mean(np.abs(z) < 1)
    assert abs(mean) < 0.1 and 0.9 < std < 1.1 and 0.63 < within < 0.73, (
        f"{call}: with a decoder that returns its input, the codes have mean {mean:.3f}, standard "
        f"deviation {std:.3f}, and {within:.1%} of them within (-1, 1); codes drawn from the "
        "VAE's prior N(0, I) have mean 0, standard deviation 1 and 68% within (-1, 1)."
    )
    again = _samples(fn, decoder, n, 64, seed)
    assert np.array_equal(z, again), f"{call} gives different samples when called twice."
    other = _samples(fn, decoder, n, 64, seed + 1)
    assert not np.allclose(z, other), f"{call} gives the same samples for seed={seed + 1}."


@student_check
def check_generated_digits(
    fn: Callable,
    decoder,
    latent_dim: int,
    x_train: np.ndarray,
    y_train: np.ndarray,
    n: int = 100,
    seed: int = 0,
) -> dict[str, float]:
    """Are the digits ``fn(decoder, n, latent_dim, seed)`` new, plausible and varied?

    new: none is a copy of a training image (nearest-neighbour distance >= SAMPLES_MIN_DISTANCE);
    plausible: at least SAMPLES_MIN_PRECISION of them lie among the real digits
    (``manifold_precision``); varied: a nearest-neighbour recogniser sees at least
    SAMPLES_MIN_DIGITS different digits. Returns the three measures.
    """
    samples = _samples(fn, decoder, n, latent_dim, seed)
    distance = float(metrics.nearest_distances(samples, x_train).min())
    precision = metrics.manifold_precision(samples, x_train)
    recognised = metrics.digit_recogniser(x_train, y_train).predict(samples.reshape(n, -1))
    digits = len(set(recognised.tolist()))
    assert distance >= SAMPLES_MIN_DISTANCE, (
        f"one of the {n} samples is {distance:.3g} away from a training image: a copy, not a new "
        "image."
    )
    assert precision >= SAMPLES_MIN_PRECISION, (
        f"only {precision:.0%} of the {n} samples look like real digits (manifold precision); "
        f"expected at least {SAMPLES_MIN_PRECISION:.0%}."
    )
    assert digits >= SAMPLES_MIN_DIGITS, (
        f"the {n} samples show only {digits} different digits; expected at least "
        f"{SAMPLES_MIN_DIGITS}: sample different codes for different images."
    )
    return {"min_distance": distance, "precision": precision, "digits": digits}
