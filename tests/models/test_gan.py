"""course.models.gan: the Keras losses, the models' shapes, one train_step that moves both nets."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from course.models import gan


def test_losses_are_the_binary_cross_entropies():
    """Is the discriminator loss -mean(log real) - mean(log(1 - fake)) and the generator loss
    -mean(log fake), computed here by hand?"""
    real, fake = np.array([0.9, 0.6], "float32"), np.array([0.2, 0.3, 0.4], "float32")
    d = float(gan.discriminator_loss(real[:, None], fake[:, None]))
    g = float(gan.generator_loss(fake[:, None]))
    assert d == pytest.approx(-np.mean(np.log(real)) - np.mean(np.log(1 - fake)), rel=1e-5)
    assert g == pytest.approx(-np.mean(np.log(fake)), rel=1e-5)


def test_models_shapes_and_sampling():
    """G maps codes to (N, 8, 8) in [0, 1], D images to (N, 1); sample is reproducible."""
    keras.utils.set_random_seed(0)
    generator, discriminator = gan.build_generator(), gan.build_discriminator()
    images = gan.sample(generator, 5, seed=3)
    assert images.shape == (5, 8, 8) and images.min() >= 0 and images.max() <= 1
    np.testing.assert_array_equal(images, gan.sample(generator, 5, seed=3))
    assert discriminator.predict(images, verbose=0).shape == (5, 1)


def test_train_step_updates_both_networks_and_reports_the_losses():
    """Does one epoch of fit change G's and D's weights and report d_loss and g_loss?"""
    keras.utils.set_random_seed(0)
    generator, discriminator = gan.build_generator(), gan.build_discriminator()
    before = generator.get_weights(), discriminator.get_weights()
    model = gan.GAN(generator, discriminator, seed=0)
    model.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    x = np.random.default_rng(0).uniform(0, 1, (64, 8, 8)).astype("float32")
    history = model.fit(x, epochs=1, batch_size=32, verbose=0)
    assert {"d_loss", "g_loss", "real_score", "fake_score"} <= set(history.history)
    after = generator.get_weights(), discriminator.get_weights()
    for old, new in zip(before, after, strict=True):
        assert any(not np.allclose(a, b) for a, b in zip(old, new, strict=True))
