"""The graded thresholds of notebook 01, against real trained models.

The notebook's trained-model grade cells depend on notebook state, so their check functions are
tested here directly: the course's reference models, trained exactly as the notebook trains them
(same data, epochs and seed), pass; models that predict the majority class, a fixed box, an
empty mask, copies or noise, or that are not trained at all, fail.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from course import datasets, models
from course.datasets import scenes
from course.exercises import tasks
from course.models import task_models

SIZE = scenes.SPLIT_SIZE


SEED = 0


def _constant_model(input_shape, outputs: dict[str, np.ndarray] | np.ndarray) -> keras.Model:
    """A model that ignores its input and always returns the same output(s)."""
    inputs = keras.Input(shape=input_shape)
    zero = keras.layers.GlobalAveragePooling2D()(keras.layers.Lambda(lambda t: t * 0.0)(inputs))

    def head(value: np.ndarray, name: str):
        value = np.asarray(value, dtype="float32")
        dense = keras.layers.Dense(
            int(np.prod(value.shape)),
            kernel_initializer="zeros",
            bias_initializer=keras.initializers.Constant(value.reshape(-1)),
            name=name,
        )(zero)
        return keras.layers.Reshape(value.shape, name=f"{name}_shape")(dense)

    if isinstance(outputs, dict):
        return keras.Model(inputs, {key: head(v, key) for key, v in outputs.items()})
    return keras.Model(inputs, head(outputs, "out"))


@pytest.fixture(scope="module")
def single():
    return scenes.split("train", 1500), scenes.split("test", 500)


@pytest.fixture(scope="module")
def multi():
    train = scenes.split("train", 600, num_objects=(1, 3))
    return train, scenes.split("test", 300, num_objects=(1, 3))


@pytest.fixture(scope="module")
def digits():
    return datasets.digits()


def test_reference_classifier_passes(single):
    """Does the reference classifier, trained as in the notebook, pass the accuracy threshold?"""
    train, test = single
    keras.utils.set_random_seed(SEED)
    model = task_models.build_classifier()
    model.fit(train["x"], train["labels"], epochs=5, batch_size=32, verbose=0)
    assert tasks.check_classifier_accuracy(model, test["x"], test["labels"]) >= 0.9


def test_majority_and_untrained_classifiers_fail(single):
    """Do the majority class and an untrained network fail the accuracy threshold?"""
    train, test = single
    majority = np.eye(3)[np.bincount(train["labels"]).argmax()]
    with pytest.raises(AssertionError, match="held-out scenes"):
        tasks.check_classifier_accuracy(
            _constant_model((SIZE, SIZE, 3), majority), test["x"], test["labels"]
        )
    keras.utils.set_random_seed(SEED)
    with pytest.raises(AssertionError, match="held-out scenes"):
        tasks.check_classifier_accuracy(task_models.build_classifier(), test["x"], test["labels"])


def test_accuracy_check_needs_a_trained_model(single):
    """Is a missing model (the training cell not run) reported, not crashed on?"""
    _, test = single
    with pytest.raises(AssertionError, match="training cell"):
        tasks.check_classifier_accuracy(None, test["x"], test["labels"])


def test_reference_localizer_passes(single):
    """Does the reference localiser, trained as in the notebook, pass the mean-IoU threshold?"""
    train, test = single
    keras.utils.set_random_seed(SEED)
    model = task_models.build_localizer()
    targets = {"label": train["labels"], "box": train["boxes"] / SIZE}
    model.fit(train["x"], targets, epochs=6, batch_size=32, verbose=0)
    assert tasks.check_localizer_iou(model, test["x"], test["boxes"]) >= tasks.LOCALIZER_MIN_IOU


def test_fixed_box_and_untrained_localizers_fail(single):
    """Do the mean training box, the centred half-image box and an untrained network fail?"""
    train, test = single
    fixed = {"label": np.full(3, 1 / 3), "box": train["boxes"].mean(axis=0) / SIZE}
    centred = {"label": np.full(3, 1 / 3), "box": np.array([0.25, 0.25, 0.5, 0.5])}
    for outputs in (fixed, centred):
        model = _constant_model((SIZE, SIZE, 3), outputs)
        with pytest.raises(AssertionError, match="mean IoU"):
            tasks.check_localizer_iou(model, test["x"], test["boxes"])
    keras.utils.set_random_seed(SEED)
    with pytest.raises(AssertionError, match="mean IoU"):
        tasks.check_localizer_iou(task_models.build_localizer(), test["x"], test["boxes"])


def test_reference_unet_passes(multi):
    """Does the reference U-Net, trained as in the notebook, pass the mean-IoU threshold?"""
    train, test = multi
    keras.utils.set_random_seed(SEED)
    model = task_models.build_unet()
    targets = (train["semantic_masks"] > 0).astype("float32")[..., None]
    model.fit(train["x"], targets, epochs=5, batch_size=32, verbose=0)
    value = tasks.check_unet_iou(model, test["x"], test["semantic_masks"])
    assert value >= tasks.UNET_MIN_MEAN_IOU


@pytest.mark.parametrize("fill", [0.0, 1.0])
def test_constant_masks_fail(multi, fill):
    """Do 'all background' and 'all object' masks fail the mean-IoU threshold?"""
    _, test = multi
    model = _constant_model((SIZE, SIZE, 3), np.full((SIZE, SIZE, 1), fill))
    with pytest.raises(AssertionError, match="mean IoU"):
        tasks.check_unet_iou(model, test["x"], test["semantic_masks"])


def test_untrained_unet_fails(multi):
    """Does an untrained U-Net fail the mean-IoU threshold?"""
    _, test = multi
    keras.utils.set_random_seed(SEED)
    with pytest.raises(AssertionError, match="mean IoU"):
        tasks.check_unet_iou(task_models.build_unet(), test["x"], test["semantic_masks"])


def _reference_sampler(decoder, n, latent_dim, seed=0):
    z = np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")
    return keras.ops.convert_to_numpy(decoder(z))


@pytest.fixture(scope="module")
def decoder(digits):
    x_train = digits[0]
    keras.utils.set_random_seed(SEED)
    vae, _, decoder = task_models.build_vae(latent_dim=4, seed=SEED)
    vae.fit(x_train, x_train, epochs=40, batch_size=64, verbose=0)
    return decoder


def test_reference_vae_samples_pass(digits, decoder):
    """Are the reference VAE's samples new, plausible and varied (the graded check)?"""
    x_train, y_train, _, _ = digits
    for seed in (0, 5):
        measures = tasks.check_generated_digits(
            _reference_sampler, decoder, 4, x_train, y_train, seed=seed
        )
        assert measures["min_distance"] > 0.1 and measures["precision"] >= 0.8


@pytest.mark.parametrize(
    ("name", "fake", "message"),
    [
        ("copies of training digits", lambda x, rng: x[:100], "copy"),
        ("uniform noise", lambda x, rng: rng.uniform(0, 1, (100, 8, 8)), "look like real digits"),
        ("blank images", lambda x, rng: np.zeros((100, 8, 8)), "look like real digits"),
        ("the average digit", lambda x, rng: np.repeat(x.mean(0)[None], 100, 0), "look like"),
        (
            "one digit, slightly noisy",
            lambda x, rng: x[:1] + rng.normal(0, 0.05, (100, 8, 8)),
            "different digits",
        ),
    ],
)
def test_trivial_generators_fail(digits, name, fake, message):
    """Do copies, noise, blank or average images and a single repeated digit fail the check?"""
    x_train, y_train, _, _ = digits
    rng = np.random.default_rng(0)
    samples = fake(x_train, rng)

    def sampler(decoder, n, latent_dim, seed=0):
        return samples[:n]

    with pytest.raises(AssertionError, match=message):
        tasks.check_generated_digits(sampler, None, 4, x_train, y_train)


def test_untrained_decoder_fails(digits):
    """Do an untrained decoder's samples fail the plausibility check?"""
    x_train, y_train, _, _ = digits
    keras.utils.set_random_seed(SEED)
    _, _, decoder = task_models.build_vae(latent_dim=4, seed=SEED)
    with pytest.raises(AssertionError):
        tasks.check_generated_digits(_reference_sampler, decoder, 4, x_train, y_train)


def test_upsampler_doubles_the_size():
    """Does the upsampler map (N, H, W, 1) to (N, 2H, 2W, 1) in [0, 1], for any H and W?"""
    model = task_models.build_upsampler()
    out = keras.ops.convert_to_numpy(model(np.random.default_rng(0).random((2, 4, 5, 1))))
    assert out.shape == (2, 8, 10, 1) and out.min() >= 0 and out.max() <= 1


def test_build_if_written_returns_none_for_the_placeholder(capsys):
    """Does build_if_written return None (and say why) for nbgrader's stub, the model otherwise?"""

    def build_classifier(input_shape=(32, 32, 3), num_classes=3):
        raise NotImplementedError()

    assert models.build_if_written(build_classifier) is None
    assert "build_classifier() is not written yet" in capsys.readouterr().out
    assert isinstance(models.build_if_written(task_models.build_face_classifier), keras.Model)


def test_sampling_layer_adds_the_kl_loss():
    """Does the Sampling layer add KL(N(mu, sigma^2) || N(0, I)) to the losses, 0 for N(0, I)?"""
    layer = task_models.Sampling(seed=0)
    zeros = np.zeros((3, 2), dtype="float32")
    z = layer([zeros, zeros])
    assert z.shape == (3, 2)
    assert abs(float(layer.losses[-1])) < 1e-6
    layer = task_models.Sampling(seed=0)
    layer([np.ones((3, 2), "float32"), zeros])  # KL = 0.5 * sum(mu^2) = 1 per sample
    assert abs(float(layer.losses[-1]) - 1.0) < 1e-5
