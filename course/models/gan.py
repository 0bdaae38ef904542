"""A generative adversarial network on 8x8 digits (notebook 06), trained with a custom train_step.

A generator G maps a code z ~ N(0, I) to an image; a discriminator D maps an image to the
probability that it is real. Each training step, in the Keras 3 ``train_step`` style:

1. D learns to tell real from fake: its loss is BCE(1, D(x)) + BCE(0, D(G(z)));
2. G learns to fool D: its loss is BCE(1, D(G(z))), the "non-saturating" loss of Goodfellow
   et al. (2014), which gives G strong gradients while D still wins easily.

Both losses are ``keras.losses.BinaryCrossentropy`` here; the notebook asks for them by hand.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import layers, ops

LATENT_DIM = 16
"""Numbers in the generator's code z."""

TRUNCATION = 0.7
"""Samples use codes z ~ N(0, TRUNCATION^2 I): the "truncation trick" (Brock et al., 2019,
BigGAN) trades a little variety for samples closer to the data. With these small networks and
a CPU's training budget, codes from N(0, I) give plausible digits only ~55% of the time."""

_bce = keras.losses.BinaryCrossentropy()


def discriminator_loss(real_scores, fake_scores):
    """BCE(1, D(real)) + BCE(0, D(fake)); scores: (N,) or (N, 1) probabilities. A scalar."""
    return _bce(ops.ones_like(real_scores), real_scores) + _bce(
        ops.zeros_like(fake_scores), fake_scores
    )


def generator_loss(fake_scores):
    """BCE(1, D(fake)): the generator wants its images called real. A scalar."""
    return _bce(ops.ones_like(fake_scores), fake_scores)


def build_generator(latent_dim: int = LATENT_DIM, hidden: int = 128) -> keras.Model:
    """G: (N, latent_dim) codes -> (N, 8, 8) images in [0, 1]: two Dense + BatchNormalization +
    ReLU blocks, then a sigmoid layer of 64 pixels."""
    blocks = []
    for _ in range(2):
        blocks += [layers.Dense(hidden), layers.BatchNormalization(), layers.ReLU()]
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            *blocks,
            layers.Dense(64, activation="sigmoid"),
            layers.Reshape((8, 8)),
        ],
        name="generator",
    )


def build_discriminator(hidden: int = 128) -> keras.Model:
    """D: (N, 8, 8) images -> (N, 1) probability of being a real digit."""
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8)),
            layers.Flatten(),
            layers.Dense(hidden),
            layers.LeakyReLU(0.2),
            layers.Dense(hidden),
            layers.LeakyReLU(0.2),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="discriminator",
    )


class GAN(keras.Model):
    """Trains a generator against a discriminator with ``fit(real_images)``.

    compile(d_optimizer=..., g_optimizer=...): one optimizer each. ``fit`` reports d_loss,
    g_loss, and the mean scores D gives to real and to generated images.
    """

    def __init__(
        self, generator, discriminator, latent_dim: int = LATENT_DIM, seed=None, **kwargs: Any
    ):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(seed)
        names = ("d_loss", "g_loss", "real_score", "fake_score")
        self.trackers = {name: keras.metrics.Mean(name=name) for name in names}

    def compile(self, d_optimizer, g_optimizer, **kwargs: Any):
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def train_step(self, real_images):
        import tensorflow as tf  # the course's backend: gradients with tf.GradientTape

        batch = ops.shape(real_images)[0]
        z = keras.random.normal((batch, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:  # 1. the discriminator: real -> 1, fake -> 0
            fake_images = self.generator(z, training=True)
            real_scores = self.discriminator(real_images, training=True)
            fake_scores = self.discriminator(fake_images, training=True)
            d_loss = discriminator_loss(real_scores, fake_scores)
        weights = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_loss, weights), weights, strict=True))

        z = keras.random.normal((batch, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:  # 2. the generator: make D say 1 on fakes
            scores = self.discriminator(self.generator(z, training=True), training=True)
            g_loss = generator_loss(scores)
        weights = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, weights), weights, strict=True))

        values = {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "real_score": ops.mean(real_scores),
            "fake_score": ops.mean(fake_scores),
        }
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}


def sample(
    generator, n: int, latent_dim: int = LATENT_DIM, seed: int = 0, truncation: float = TRUNCATION
) -> np.ndarray:
    """n images (n, 8, 8) from a generator, codes from ``np.random.default_rng(seed)``, drawn
    from N(0, truncation^2 I)."""
    z = np.random.default_rng(seed).standard_normal((n, latent_dim)) * truncation
    z = z.astype("float32")
    return np.asarray(generator.predict(z, verbose=0), dtype=np.float64).reshape(n, 8, 8)
