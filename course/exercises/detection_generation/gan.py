"""Checks of notebook 06's GAN: the two adversarial losses against Keras's binary cross-entropy,
the untrained generator's outputs, and the trained generator's samples (notebook 01's checks of
a VAE's samples: new, plausible, varied).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from course.checking.asserts import as_number as _as_number
from course.checking.asserts import call_answer as _call
from course.checking.asserts import describe
from course.checking.crashes import student_check
from course.exercises.detection_generation.detector import assert_keras_model, predict_batch
from course.exercises.tasks import check_generated_digits
from course.models import gan

LOSS_CASES = (
    (0, 8, 8, "8 real and 8 fake scores"),
    (1, 5, 3, "5 real and 3 fake scores"),
    (2, 1, 1, "one real and one fake score"),
)


def _scores(seed: int, n: int, low: float = 0.02, high: float = 0.98) -> np.ndarray:
    return np.random.default_rng(seed).uniform(low, high, n)


def keras_bce(targets: float, scores: np.ndarray) -> float:
    """keras.losses.BinaryCrossentropy() of constant targets and probabilities (N,)."""
    import keras

    scores = np.asarray(scores, "float32").reshape(-1, 1)
    return float(keras.losses.BinaryCrossentropy()(np.full_like(scores, targets), scores))


@student_check
def check_discriminator_loss(fn: Callable, cases: Iterable = LOSS_CASES) -> None:
    """``fn(real_scores, fake_scores)`` = BCE(1, real) + BCE(0, fake), Keras's on every case."""
    for seed, n_real, n_fake, what in cases:
        real, fake = _scores(seed, n_real), _scores(seed + 100, n_fake)
        expected = keras_bce(1.0, real) + keras_bce(0.0, fake)
        call = f"discriminator_loss(real_scores, fake_scores) for {what}"
        got = _as_number(call, _call(fn, real, fake))
        assert abs(got - expected) < 1e-3 * max(1.0, abs(expected)), (
            f"{call} returned {got:.4f}; that is not the binary cross-entropy of the real scores "
            "against 1 plus that of the fake scores against 0 (each a mean over its batch)."
        )


@student_check
def check_generator_loss(fn: Callable, cases: Iterable = LOSS_CASES) -> None:
    """``fn(fake_scores)`` = BCE(1, fake), Keras's on every case."""
    for seed, _, n_fake, _what in cases:
        fake = _scores(seed + 200, n_fake)
        expected = keras_bce(1.0, fake)
        call = f"generator_loss(fake_scores) for {n_fake} fake score(s)"
        got = _as_number(call, _call(fn, fake))
        assert abs(got - expected) < 1e-3 * max(1.0, abs(expected)), (
            f"{call} returned {got:.4f}; that is not the binary cross-entropy of the fake "
            "scores against 1 (the generator wants them called real), a mean over the batch."
        )


@student_check
def check_build_generator(fn: Callable, cases: Iterable = (16, 8)) -> None:
    """The untrained model of ``fn(latent_dim)``: (N, latent_dim) -> (N, 8, 8) in [0, 1],
    different codes giving different images."""
    rng = np.random.default_rng(0)
    for latent_dim in cases:
        call = f"build_generator(latent_dim={latent_dim})"
        model = assert_keras_model(call, _call(fn, latent_dim=latent_dim), compiled=False)
        z = rng.standard_normal((6, latent_dim)).astype("float32")
        out = predict_batch(call, model, z)
        assert out.shape == (6, 8, 8), (
            f"{call}: the model outputs {describe(out)} for 6 codes of {latent_dim} numbers; "
            "expected (6, 8, 8) images (a Reshape((8, 8)) at the end)."
        )
        assert np.all((out >= 0) & (out <= 1)), (
            f"{call}: the pixels go from {out.min():.3g} to {out.max():.3g}; the digits' pixels "
            "are in [0, 1]: end with a sigmoid."
        )
        assert np.std(out, axis=0).max() > 1e-4, (
            f"{call}: every code gives the same image; the image must depend on the code."
        )


def _sample_with_generator(generator, n: int, latent_dim: int, seed: int = 0) -> np.ndarray:
    return gan.sample(generator, n, latent_dim, seed)


# The trained generators over 10 seeds, one thread (benchmarks/sweeps/detection_generation_gan.py):
# manifold precision of 100 samples (bar 0.60, notebook 01's), sampling seed 0 / hidden seed 5,
# min / median / max: reference and subclassed 0.65 / 0.81 / 0.90 and 0.68 / 0.81 / 0.89;
# functional without bias 0.67 / 0.75 / 0.85 and 0.73 / 0.78 / 0.84; a wider first layer (192,
# not the text's 128) 0.62 / 0.785 / 0.89 and 0.60 / 0.765 / 0.87. 9 or 10 digits seen, never a
# copy (nearest training digit at 0.47 or more). The untrained generator: 0.00, 3 digits.


@student_check
def check_gan_samples(
    generator, latent_dim: int, x_train: np.ndarray, y_train: np.ndarray, seed: int = 0
) -> dict[str, float]:
    """The trained generator's samples pass notebook 01's VAE checks: new, plausible, varied."""
    assert_keras_model("the generator", generator, compiled=False)
    return check_generated_digits(
        _sample_with_generator, generator, latent_dim, x_train, y_train, seed=seed
    )
