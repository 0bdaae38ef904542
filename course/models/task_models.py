"""Small reference models for the four vision tasks, sized for a 2-core CPU: a classifier, a
localiser, a U-Net, a face classifier, a variational autoencoder and a super-resolution
upsampler.

Each builder returns a compiled Keras model that trains in seconds on the course's 32x32 scenes
or 8x8 digits. Used by notebook 01 (the four tasks): its exercises ask the student to write the
first three; the tests use these to check that the graded thresholds are reachable.
"""

from __future__ import annotations

import logging
from typing import Any

import keras
from keras import layers, ops

# The notebook builds and calls many small models: keep TensorFlow's "tf.function retracing"
# warnings (harmless here) out of its outputs.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

NUM_CLASSES = 3
"""Classes of the scenes: circle, square, triangle."""


def _conv_blocks(x: keras.KerasTensor) -> keras.KerasTensor:
    """Three 3x3 'same' convolutions (8, 16, 32 filters, ReLU), each followed by 2x2 max
    pooling: (N, H, W, C) -> (N, H/8, W/8, 32). The trunk of the classifier and the localiser."""
    for filters in (8, 16, 32):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    return x


def build_classifier(input_shape=(32, 32, 3), num_classes: int = NUM_CLASSES) -> keras.Model:
    """A small CNN classifier: (N, H, W, 3) -> (N, num_classes) softmax probabilities."""
    inputs = keras.Input(shape=input_shape)
    x = _conv_blocks(inputs)
    x = layers.GlobalMaxPooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs, name="classifier")
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def build_localizer(input_shape=(32, 32, 3), num_classes: int = NUM_CLASSES) -> keras.Model:
    """Classification + localisation: (N, H, W, 3) -> {"label": (N, num_classes) softmax,
    "box": (N, 4) sigmoid}, the box as (x, y, w, h) divided by the image side.

    Flatten (not global pooling) keeps *where* the features are, which the box needs.
    """
    inputs = keras.Input(shape=input_shape)
    x = _conv_blocks(inputs)
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu")(x)
    outputs = {
        "label": layers.Dense(num_classes, activation="softmax", name="label")(x),
        "box": layers.Dense(4, activation="sigmoid", name="box")(x),
    }
    model = keras.Model(inputs, outputs, name="localizer")
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss={"label": "sparse_categorical_crossentropy", "box": "mse"},
        loss_weights={"label": 1.0, "box": 20.0},
    )
    return model


def build_unet(input_shape=(32, 32, 3), filters: int = 8) -> keras.Model:
    """A two-level U-Net: (N, H, W, 3) -> (N, H, W, 1) probability that a pixel is an object.

    H and W must be multiples of 4. The encoder halves the size twice; the decoder doubles it
    back, each time concatenating the encoder's feature maps of the same size (the skip
    connections that give U-Net its sharp boundaries).
    """
    inputs = keras.Input(shape=input_shape)
    skips, x = [], inputs
    for level in range(2):
        x = layers.Conv2D(filters * 2**level, 3, padding="same", activation="relu")(x)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(filters * 4, 3, padding="same", activation="relu")(x)
    for level in reversed(range(2)):
        x = layers.UpSampling2D()(x)
        x = layers.Concatenate()([x, skips[level]])
        x = layers.Conv2D(filters * 2**level, 3, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs, name="unet")
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    return model


def build_face_classifier(size: int = 25) -> keras.Model:
    """Face or not: (N, size, size, 1) standardised grey windows -> (N, 1) sigmoid."""
    model = keras.Sequential(
        [
            keras.Input(shape=(size, size, 1)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="face_classifier",
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    return model


@keras.saving.register_keras_serializable(package="course")
class Sampling(layers.Layer):
    """The VAE's reparameterisation trick, and its Kullback-Leibler loss.

    Called on [z_mean, z_log_var], both (N, latent_dim): returns z = z_mean + sigma * eps with
    eps ~ N(0, I), so that gradients flow through z_mean and z_log_var, and adds
    KL(N(z_mean, sigma^2) || N(0, I)), averaged over the batch and scaled by ``kl_weight``, to the
    model's loss.
    """

    def __init__(self, kl_weight: float = 1.0, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.kl_weight = kl_weight
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
        self.add_loss(self.kl_weight * ops.mean(kl))
        eps = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * eps

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "kl_weight": self.kl_weight, "seed": self.seed}


def build_vae(
    image_shape=(8, 8), latent_dim: int = 4, hidden: int = 128, seed: int | None = None
) -> tuple[keras.Model, keras.Model, keras.Model]:
    """A small dense variational autoencoder for (N, 8, 8) images in [0, 1].

    Returns (vae, encoder, decoder): the encoder maps an image to (z_mean, z_log_var), both
    (N, latent_dim); the decoder maps a latent code (N, latent_dim) to an image (N, 8, 8) in
    [0, 1]; the compiled vae (image -> reconstruction) trains both with the pixel-wise binary
    cross-entropy plus the KL term (divided by the number of pixels, to match the mean
    cross-entropy).
    """
    pixels = image_shape[0] * image_shape[1]
    images = keras.Input(shape=image_shape)
    h = layers.Dense(hidden, activation="relu")(layers.Flatten()(images))
    z_mean = layers.Dense(latent_dim, name="z_mean")(h)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
    encoder = keras.Model(images, [z_mean, z_log_var], name="encoder")

    decoder = keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(hidden, activation="relu"),
            layers.Dense(pixels, activation="sigmoid"),
            layers.Reshape(image_shape),
        ],
        name="decoder",
    )
    z = Sampling(kl_weight=1.0 / pixels, seed=seed)(encoder(images))
    vae = keras.Model(images, decoder(z), name="vae")
    vae.compile(
        optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", steps_per_execution=8
    )
    return vae, encoder, decoder


def build_upsampler(filters: int = 16) -> keras.Model:
    """Super-resolution x2: (N, H, W, 1) -> (N, 2H, 2W, 1) in [0, 1]; convolutions before and
    after an ``UpSampling2D`` learn to fill in the detail that plain interpolation blurs."""
    model = keras.Sequential(
        [
            keras.Input(shape=(None, None, 1)),
            layers.Conv2D(filters, 3, padding="same", activation="relu"),
            layers.UpSampling2D(),
            layers.Conv2D(filters, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ],
        name="upsampler",
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    return model
