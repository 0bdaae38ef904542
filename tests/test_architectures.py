"""course.architectures: the reference builders against Keras and the papers' numbers."""

from __future__ import annotations

import keras
import matplotlib
import numpy as np
import pytest
from keras import layers

from course import architectures, formulas

matplotlib.use("Agg")


def test_load_digits_images_shapes_and_range():
    """Are the digits (1797, 32, 32, 1) or (1797, 8, 8, 1) in [0, 1], with 2-pixel zero borders?"""
    x32, y = architectures.load_digits_images(32)
    x8, y8 = architectures.load_digits_images(8)
    assert x32.shape == (1797, 32, 32, 1) and x8.shape == (1797, 8, 8, 1)
    assert x32.dtype == x8.dtype == np.float32
    assert x32.min() >= 0 and x32.max() <= 1 and x8.max() == 1
    assert np.array_equal(y, y8) and set(y) == set(range(10))
    assert not x32[:, :2].any() and not x32[:, :, -2:].any()
    with pytest.raises(ValueError, match="size"):
        architectures.load_digits_images(16)


def test_lenet5_weights_by_formula():
    """Does LeNet-5 have 61,706 weights, layer by layer as the formulas count them?"""
    model = architectures.lenet5()
    counts = {layer.name: layer.count_params() for layer in model.layers}
    assert counts["C1"] == formulas.conv_params(5, 1, 6) == 156
    assert counts["C3"] == formulas.conv_params(5, 6, 16) == 2_416
    assert counts["C5"] == formulas.dense_params(400, 120)
    assert counts["F6"] == formulas.dense_params(120, 84)
    assert model.count_params() == 61_706
    assert model.output_shape == (None, 10)


def test_inception_3a_shape_and_weights():
    """Does inception (3a) turn 28x28x192 into 28x28x256 with 163,696 weights, named by branch?"""
    inputs = keras.Input(shape=(28, 28, 192))
    model = keras.Model(inputs, architectures.inception_module(inputs, (64, 96, 128, 16, 32, 32)))
    assert model.output_shape == (None, 28, 28, 256)
    assert model.count_params() == 163_696
    named = keras.Model(inputs, architectures.inception_module(inputs, (1, 2, 3, 4, 5, 6), "3a"))
    assert {"3a_1x1", "3a_3x3_reduce", "3a_5x5", "3a_pool_proj", "3a_concat"} <= {
        layer.name for layer in named.layers
    }


@pytest.mark.parametrize(
    ("shape", "filters", "stride", "projection"),
    [((8, 8, 16), 16, 1, False), ((8, 8, 16), 32, 2, True), ((8, 8, 8), 16, 1, True)],
)
def test_residual_block_shapes_and_projection(shape, filters, stride, projection):
    """Does the block project exactly when the shape changes, and end with Add then ReLU?"""
    inputs = keras.Input(shape=shape)
    model = keras.Model(inputs, architectures.residual_block(inputs, filters, stride))
    size = -(-shape[0] // stride)
    assert model.output_shape == (None, size, size, filters)
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    main = formulas.conv_params(3, shape[2], filters, False) + formulas.conv_params(
        3, filters, filters, False
    )
    extra = formulas.conv_params(1, shape[2], filters, False) + 4 * filters if projection else 0
    assert len(convs) == (3 if projection else 2)
    assert model.count_params() == main + 2 * 4 * filters + extra
    assert isinstance(model.layers[-1], layers.ReLU) and isinstance(model.layers[-2], layers.Add)


def test_small_resnet_plain_and_residual_twins():
    """Are the plain and residual networks 20 weight layers deep, the residual one only adding
    the shortcuts (two 1x1 projections, no other weights)?"""
    plain = architectures.small_resnet(residual=False)
    residual = architectures.small_resnet(residual=True)
    assert architectures.weight_layers(plain) == 20
    assert architectures.weight_layers(residual) == 22
    assert not any(isinstance(layer, layers.Add) for layer in plain.layers)
    assert sum(isinstance(layer, layers.Add) for layer in residual.layers) == 9
    projections = formulas.conv_params(1, 8, 16, False) + formulas.conv_params(1, 16, 32, False)
    assert residual.count_params() - plain.count_params() == projections + 4 * (16 + 32)
    assert plain.output_shape == residual.output_shape == (None, 10)
    assert (plain.name, residual.name) == ("plain20", "resnet20")


def test_seed_trainer_reuses_one_model_with_fresh_weights():
    """Does SeedTrainer give the same run for the same seed, even after another seed's run?"""
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(64, 8, 8, 1)).astype("float32")
    y = rng.integers(0, 10, size=64)

    def build():
        return architectures.small_resnet(blocks_per_stage=1, widths=(4,))

    trainer = architectures.SeedTrainer(build, (x, y), (x[:16], y[:16]), epochs=2, batch_size=32)
    trainer.fit(0, 1, 0)
    first, other, again = trainer.histories
    assert set(first) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(first["loss"]) == 2
    np.testing.assert_allclose(first["loss"], again["loss"], rtol=1e-5)
    assert not np.allclose(first["loss"], other["loss"])


def test_compound_multipliers_double_the_flops():
    """Do EfficientNet's coefficients give alpha * beta^2 * gamma^2 close to 2?"""
    depth, width, resolution = architectures.compound_multipliers(1)
    assert (depth, width, resolution) == (1.2, 1.1, 1.15)
    assert depth * width**2 * resolution**2 == pytest.approx(1.92, abs=0.01)
    assert architectures.compound_multipliers(0) == (1, 1, 1)
    assert architectures.compound_multipliers(2, 2, 3, 4) == (4, 9, 16)


def test_efficientnet_variants_are_keras_defaults():
    """Is the table's resolution what Keras builds by default (B0 224, B1 240)?"""
    assert [v[2] for v in architectures.EFFICIENTNET_VARIANTS.values()] == [
        224,
        240,
        260,
        300,
        380,
        456,
        528,
        600,
    ]
    model = keras.applications.EfficientNetB1(weights=None)
    assert model.input_shape == (None, 240, 240, 3)


def test_measure_application_counts_and_times():
    """Does measure_application report Keras's count, the published numbers and a time?"""
    model = keras.applications.MobileNetV2(weights=None)
    row = architectures.measure_application("MobileNetV2", model, repeats=1)
    assert row["parameters"] == 3_538_984
    assert row["published top-1"] == 0.713 and row["published depth"] == 105
    assert row["weight layers"] == 53
    assert 0 < row["seconds per image"] < 30


def test_published_numbers_cover_the_five_models():
    """Do the published tables hold the five compared models, with the documented accuracies?"""
    assert architectures.PUBLISHED_TOP1 == {
        "VGG16": 0.713,
        "VGG19": 0.713,
        "ResNet50": 0.749,
        "MobileNetV2": 0.713,
        "EfficientNetB0": 0.771,
    }
    assert set(architectures.PUBLISHED_DEPTH) == set(architectures.PUBLISHED_TOP1)


def test_seconds_per_call_keeps_the_best_time():
    """Does seconds_per_call run the warm-up and the repeats, and return a small positive time?"""
    calls = []
    seconds = architectures.seconds_per_call(lambda: calls.append(1), repeats=3, warmup=2)
    assert len(calls) == 5
    assert 0 <= seconds < 0.1


def test_figures():
    """Do the two plotting helpers draw one panel per metric and one bar per name?"""
    runs = [{"loss": [2.0, 1.0], "val_accuracy": [0.5, 0.7]}] * 2
    fig = architectures.plot_histories({"a": runs, "b": runs}, metrics=("loss", "val_accuracy"))
    assert len(fig.axes) == 2
    fig = architectures.plot_times(["x", "y"], [0.1, 0.2], "title")
    assert len(fig.axes[0].patches) == 2
