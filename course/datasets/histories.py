"""Training histories recorded on the digits, for notebook 03's ``diagnose`` exercise.

The curves are data, in ``data/recorded_histories.json`` (provenance and checksum in
``data/README.md``); this module records them (``record``, ``save``) and reads them
(``HISTORIES``). Each was recorded by ``record(recipe, seed)`` (Keras 3.15, TensorFlow 2.21,
2 CPU cores): a dense network on ``course.datasets.digits("train/val/test")``, batch 32,
sparse categorical cross-entropy, validated on the 359 validation digits, values rounded to 4
decimals. Its ``label`` follows from how it was made (too small a model, too large a model on
too few images, a model of the right size) and agrees, with a margin, with the rule the
notebook teaches: overfitting when the validation loss ends more than 10% above its lowest
value, else underfitting when the final training accuracy is below ``target``, else a good
fit. Runs on another machine give similar, not identical, curves.

``VISIBLE`` are the histories ``q8.check()`` uses, ``HIDDEN`` those of the hidden tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from course import paths

HISTORIES_FILE = "recorded_histories.json"
"""The file under data/ that holds the recorded histories."""

RECIPES: dict[str, dict[str, Any]] = {
    "two_units_100": {
        "widths": (2,),
        "activation": None,
        "n_train": 100,
        "optimizer": "adam",
        "learning_rate": 0.01,
        "epochs": 40,
    },
    "large_100": {
        "widths": (512, 512),
        "n_train": 100,
        "optimizer": "adam",
        "learning_rate": 0.01,
        "epochs": 40,
    },
    "right_full": {
        "widths": (64,),
        "n_train": None,
        "optimizer": "adam",
        "learning_rate": 0.001,
        "epochs": 30,
    },
    "large_full": {
        "widths": (512, 512),
        "n_train": None,
        "optimizer": "adam",
        "learning_rate": 0.003,
        "epochs": 40,
    },
    "slow_sgd": {
        "widths": (64,),
        "n_train": None,
        "optimizer": "sgd",
        "learning_rate": 0.001,
        "epochs": 20,
    },
    "three_units_full": {
        "widths": (3,),
        "n_train": None,
        "optimizer": "adam",
        "learning_rate": 0.003,
        "epochs": 30,
    },
    "mid_300": {
        "widths": (32,),
        "n_train": 300,
        "optimizer": "adam",
        "learning_rate": 0.003,
        "epochs": 30,
    },
    "rmsprop_300": {
        "widths": (256, 256),
        "n_train": 300,
        "optimizer": "rmsprop",
        "learning_rate": 0.003,
        "epochs": 40,
    },
    "dropout_full": {
        "widths": (128,),
        "dropout": 0.3,
        "n_train": None,
        "optimizer": "adam",
        "learning_rate": 0.001,
        "epochs": 30,
    },
    "large_dropout_100": {
        "widths": (512, 512),
        "dropout": 0.5,
        "n_train": 100,
        "optimizer": "adam",
        "learning_rate": 0.01,
        "epochs": 40,
    },
}


def record(recipe: str, seed: int) -> dict[str, list[float]]:
    """Train one recipe from ``RECIPES`` with a seed; returns its history, rounded."""
    import keras
    from keras import layers

    from course import datasets

    r = RECIPES[recipe]
    x_train, y_train, x_val, y_val, _, _ = datasets.digits(
        "train/val/test", n_train=r["n_train"], channel=True
    )
    keras.utils.set_random_seed(seed)
    train = datasets.batches(x_train, y_train, 32, shuffle=True, seed=seed)
    val = datasets.batches(x_val, y_val, 512)
    stack = [keras.Input((8, 8, 1)), layers.Flatten()]
    for width in r["widths"]:
        stack.append(layers.Dense(width, activation=r.get("activation", "relu")))
        if r.get("dropout"):
            stack.append(layers.Dropout(r["dropout"]))
    stack.append(layers.Dense(10, activation="softmax"))
    model = keras.Sequential(stack)
    optimizer = {
        "adam": keras.optimizers.Adam,
        "sgd": keras.optimizers.SGD,
        "rmsprop": keras.optimizers.RMSprop,
    }[r["optimizer"]](learning_rate=r["learning_rate"])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(train, validation_data=val, epochs=r["epochs"], verbose=0).history
    keys = ("loss", "accuracy", "val_loss", "val_accuracy")
    return {key: [round(float(v), 4) for v in history[key]] for key in keys}


def histories_path() -> Path:
    """Where the recorded histories are: data/ of the course's repository."""
    return paths.DATA_DIR / HISTORIES_FILE


def save(histories: dict[str, dict[str, Any]], path: str | Path | None = None) -> Path:
    """Write recorded histories (name -> {"recipe", "seed", "description", "label", "target",
    "history"}) as JSON, one curve per line; returns the file. Update its SHA-256 in
    data/README.md afterwards."""
    path = Path(path) if path is not None else histories_path()
    lines = ["{"]
    for i, (name, entry) in enumerate(histories.items()):
        fields = [
            f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in entry.items() if k != "history"
        ]
        curves = [f"      {json.dumps(k)}: {json.dumps(v)}" for k, v in entry["history"].items()]
        body = ",\n".join([*fields, '    "history": {\n' + ",\n".join(curves) + "\n    }"])
        lines.append(
            f"  {json.dumps(name)}: {{\n{body}\n  }}" + ("," if i < len(histories) - 1 else "")
        )
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")
    return path


def load(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The recorded histories, read from ``path`` (default: data/recorded_histories.json)."""
    path = Path(path) if path is not None else histories_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"the recorded training histories are missing ({path} not found): they ship in the "
            "course repository's data/ folder."
        )
    return json.loads(path.read_text())


VISIBLE: tuple[str, ...] = (
    "two_units_100_seed0",
    "large_100_seed0",
    "right_full_seed1",
    "large_full_seed0",
    "mid_300_seed2",
    "large_dropout_100_seed1_target0.95",
)
"""The histories ``q8.check()`` uses. The last one meets both rules (its validation loss rose,
its training accuracy is below target): the rule order makes it overfitting."""

HIDDEN: tuple[str, ...] = (
    "two_units_100_seed1",
    "large_100_seed2",
    "large_full_seed1",
    "slow_sgd_seed2",
    "three_units_full_seed0",
    "mid_300_seed0",
    "rmsprop_300_seed1",
    "dropout_full_seed0",
    "right_full_seed0_target0.99",
    "mid_300_seed3_target0.95",
    "large_dropout_100_seed0_target0.99",
)
"""More histories, for the hidden tests."""

HISTORIES: dict[str, dict[str, Any]] = load()
"""Name -> {"recipe", "seed", "description", "label", "target", "history"}: each recorded run,
its expected diagnosis and the per-epoch "loss", "accuracy", "val_loss", "val_accuracy"."""
