"""Threshold sweep for the trained exercises of notebook 01 (tasks), as the notebook grades them.

For each recipe (the reference solution, every alternative of ``course.alternatives.tasks``,
a few more recipes the text allows, typical mistakes, and a model that learned nothing) and
each seed: run the notebook's own training cell with ``seed`` set, then the notebook's own
grade cell (hidden tests included), and record the graded values on the test and hidden
splits. Prints one markdown table per exercise: recipe, seeds, min / median / max of the
graded value (the lower of test and hidden), the bar, and how many seeds passed the grade
cell.

    nice -n 10 .venv/bin/python benchmarks/sweeps/tasks_sweep.py unet --seeds 10
    nice -n 10 .venv/bin/python benchmarks/sweeps/tasks_sweep.py classifier vae --json out.json
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
import warnings

import numpy as np

from course.alternatives.tasks import ALTERNATIVES
from course.exercises import tasks
from course.grading.direct import DirectGrading
from course.mistakes.tasks import MISTAKES

# More recipes the exercise texts allow (the alternatives module holds the others).
EXTRA: dict[str, dict[str, str]] = {
    "build_classifier": {
        "functional, wider (16, 32, 64 filters)": """
def build_classifier(input_shape=(32, 32, 3), num_classes=3):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters in (16, 32, 64):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalMaxPooling2D()(x)
    model = keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
""",
    },
    "build_unet": {
        "functional, wider (16, 32, 64 filters)": """
def build_unet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    s1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    s2 = layers.Conv2D(32, 3, padding="same", activation="relu")(layers.MaxPooling2D()(s1))
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(layers.MaxPooling2D()(s2))
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(
        layers.Concatenate()([layers.UpSampling2D()(x), s2]))
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(
        layers.Concatenate()([layers.UpSampling2D()(x), s1]))
    model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    return model
""",
    },
}

# Informative rows: recipes the text rules out or mistakes, which must fail.
WRONG: dict[str, dict[str, str]] = {
    "build_classifier": {
        "GlobalAveragePooling2D (the text rules it out)": """
def build_classifier(input_shape=(32, 32, 3), num_classes=3):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters in (8, 16, 32):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
""",
    },
}

SPECS = {
    # exercise: (grade_id, marker of the training cell, epochs variable, bar)
    "classifier": ("build_classifier", "classifier = models.build_if_written",
                   "epochs_classifier", tasks.CLASSIFIER_MIN_ACCURACY),
    "localizer": ("build_localizer", "localizer = models.build_if_written",
                  "epochs_localizer", tasks.LOCALIZER_MIN_IOU),
    "unet": ("build_unet", "unet = models.build_if_written", "epochs_unet",
             tasks.UNET_MIN_MEAN_IOU),
    "vae": ("sample_digits", "vae, encoder, decoder = task_models.build_vae", "epochs_vae",
            tasks.SAMPLES_MIN_PRECISION),
}

NOTEBOOK = DirectGrading("01-tasks")


def _cell(marker: str) -> str:
    return next(c.source for c in NOTEBOOK.solution.cells
                if c.cell_type == "code" and marker in c.source)


def recipes(grade_id: str, mistakes: bool) -> dict[str, tuple[str, bool]]:
    """label -> (source, allowed by the text)."""
    out = {"reference solution": (NOTEBOOK.answers[grade_id], True)}
    out.update({k: (v, True) for k, v in ALTERNATIVES[grade_id].items()})
    out.update({k: (v, True) for k, v in EXTRA.get(grade_id, {}).items()})
    if mistakes:
        out.update({k: (v, False) for k, v in WRONG.get(grade_id, {}).items()})
        if grade_id == "build_unet":
            out.update({f"mistake: {k}": (v, False) for k, v in MISTAKES[grade_id].items()
                        if "skip" in k})
    return out


def graded_values(exercise: str, ns: dict) -> dict[str, float]:
    """The graded values on the test and hidden splits (thresholds off)."""
    from course.datasets import scenes

    if exercise == "classifier":
        hidden = scenes.split("hidden", 500)
        return {s: tasks.check_classifier_accuracy(ns["classifier"], d["x"], d["labels"], 0.0)
                for s, d in (("test", ns["test"]), ("hidden", hidden))}
    if exercise == "localizer":
        hidden = scenes.split("hidden", 500)
        return {s: tasks.check_localizer_iou(ns["localizer"], d["x"], d["boxes"], 0.0)
                for s, d in (("test", ns["test"]), ("hidden", hidden))}
    if exercise == "unet":
        hidden = scenes.split("hidden", 300, num_objects=(1, 3))
        return {s: tasks.check_unet_iou(ns["unet"], d["x"], d["semantic_masks"], 0.0)
                for s, d in (("test", ns["seg_test"]), ("hidden", hidden))}
    from course import metrics

    values = {}
    recogniser = metrics.digit_recogniser(ns["x_digits"], ns["y_digits"])
    for sample_seed in (0, 5):  # the grade cell's visible and hidden cases (n=100)
        samples = np.asarray(ns["sample_digits"](ns["decoder"], 100, latent_dim=ns["latent_dim"],
                                                 seed=sample_seed), dtype=np.float64)
        values[f"precision@{sample_seed}"] = metrics.manifold_precision(
            samples, ns["x_digits"])
        values[f"distance@{sample_seed}"] = float(
            metrics.nearest_distances(samples, ns["x_digits"]).min())
        values[f"digits@{sample_seed}"] = len(set(recogniser.predict(
            samples.reshape(100, -1)).tolist()))
    return values


def run_one(exercise: str, source: str, seed: int, epochs: int | None) -> dict:
    import keras

    from course import datasets
    from course.datasets import scenes

    grade_id, marker, epochs_name, _ = SPECS[exercise]
    with contextlib.redirect_stdout(io.StringIO()):  # the setup cell prints the Keras version
        ns = NOTEBOOK.namespace(source)
    ns["seed"] = seed
    if epochs is not None:
        ns[epochs_name] = epochs
    if exercise in ("classifier", "localizer"):
        ns["train"] = scenes.split("train", ns["n_train"])
        ns["test"] = scenes.split("test", ns["n_test"])
    if exercise == "vae":
        ns["x_digits"], ns["y_digits"], ns["x_digits_test"], ns["y_digits_test"] = (
            datasets.digits())
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras.config.disable_interactive_logging()
        if exercise == "vae":  # the notebook's cell, without its plot
            keras.utils.set_random_seed(seed)
            ns["vae"], ns["encoder"], ns["decoder"] = train_vae(ns, seed)
        else:
            exec(_cell(marker), ns)
        train_time = time.perf_counter() - start
        values = graded_values(exercise, ns)
        grade_source, _ = NOTEBOOK.grade_cells[f"{grade_id}_tests"]
        try:
            exec(grade_source, dict(ns))
            passed, error = True, ""
        except Exception as exc:  # the grade cell fails
            passed, error = False, f"{type(exc).__name__}: {str(exc)[:160]}"
    keras.backend.clear_session()
    return {"seed": seed, "values": values, "passed": passed, "error": error,
            "seconds": time.perf_counter() - start, "train_seconds": train_time}


def train_vae(ns: dict, seed: int):
    from course.models import task_models

    vae, encoder, decoder = task_models.build_vae(latent_dim=ns["latent_dim"], seed=seed)
    vae.fit(ns["x_digits"], ns["x_digits"], epochs=ns["epochs_vae"], batch_size=64, verbose=0)
    return vae, encoder, decoder


def graded(values: dict) -> float | None:
    numbers = [v for k, v in values.items() if k.startswith("precision") or k in ("test", "hidden")]
    return min(numbers) if numbers else None


def sweep(exercise: str, seeds: list[int], mistakes: bool, only: str | None = None) -> list[dict]:
    grade_id, *_ = SPECS[exercise]
    rows = []
    todo = [(label, src, allowed, None) for label, (src, allowed) in
            recipes(grade_id, mistakes).items()]
    if mistakes:
        todo.append(("learned nothing: the reference, 0 epochs",
                     NOTEBOOK.answers[grade_id], False, 0))
    if only:
        todo = [row for row in todo if any(word in row[0] for word in only.split("|"))]
    for label, source, allowed, epochs in todo:
        runs = []
        for seed in seeds:
            run = run_one(exercise, source, seed, epochs)
            runs.append(run)
            print(f"  {exercise} | {label} | seed {seed}: {run['values']} "
                  f"passed={run['passed']} {run['error'][:100]} ({run['seconds']:.1f} s)",
                  file=sys.stderr, flush=True)
        rows.append({"exercise": exercise, "recipe": label, "allowed": allowed, "runs": runs})
    return rows


def table(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        exercise = row["exercise"]
        bar = SPECS[exercise][3]
        runs = row["runs"]
        values = [graded(r["values"]) for r in runs]
        numbers = [v for v in values if v is not None]
        if numbers:
            lo, mid, hi = np.min(numbers), np.median(numbers), np.max(numbers)
            spread = f"{lo:.3f} / {mid:.3f} / {hi:.3f}"
        else:
            spread = "n/a"
        if exercise == "vae":
            digits = [min(v for k, v in r["values"].items() if k.startswith("digits"))
                      for r in runs if any(k.startswith("digits") for k in r["values"])]
            distances = [min(v for k, v in r["values"].items() if k.startswith("distance"))
                         for r in runs if any(k.startswith("distance") for k in r["values"])]
            if digits:
                spread += (f" (digits {min(digits)}-{max(digits)}, bar {tasks.SAMPLES_MIN_DIGITS}; "
                           f"min distance {min(distances):.2f}, bar {tasks.SAMPLES_MIN_DISTANCE})")
        passed = sum(r["passed"] for r in runs)
        seconds = np.mean([r["seconds"] for r in runs])
        kind = "allowed" if row["allowed"] else "must fail"
        lines.append(f"| {exercise} | {row['recipe']} | {kind} | {len(runs)} | {spread} | {bar} "
                     f"| {passed}/{len(runs)} | {seconds:.1f} |")
    head = ("| exercise | recipe | kind | seeds | graded value min / median / max | bar "
            "| grade cell passed | s per seed |\n|---|---|---|---|---|---|---|---|")
    return head + "\n" + "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercise", nargs="+", choices=[*SPECS, "all"])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--no-mistakes", action="store_true", help="only the allowed recipes")
    parser.add_argument("--only", help="only the recipes whose label contains one of these "
                        "words, separated by |")
    parser.add_argument("--json", help="also write every run to this file")
    args = parser.parse_args(argv)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    exercises = list(SPECS) if "all" in args.exercise else args.exercise
    start = time.perf_counter()
    rows = []
    for exercise in exercises:
        t0 = time.perf_counter()
        rows += sweep(exercise, seeds, not args.no_mistakes, args.only)
        print(f"{exercise}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    print(table(rows))
    print(f"\n{len(seeds)} seeds ({seeds[0]}-{seeds[-1]}), {time.perf_counter() - start:.0f} s "
          "in all.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1, default=float)


if __name__ == "__main__":
    main()
