"""Sweep: notebook 06's GAN trained as the notebook trains it, over seeds.

Per seed: the three measures of notebook 01's sample checks (nearest training digit, manifold
precision, digits seen) on 100 samples of seed 0 and of seed 5 (the hidden test), the manifold
precision without the truncation trick (codes from N(0, I)), the fit time; then min / median /
max. Also the untrained generator's, which must fail.
Run (one core, one thread, as grading runs a kernel):
  TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 taskset -c 1 \\
    .venv/bin/python benchmarks/sweeps/detection_generation_gan.py [seeds] [builder]
builder: "reference" (course.models.gan.build_generator) or the label of an alternative.
"""

from __future__ import annotations

import sys
import time

import keras
import numpy as np

from course import datasets, metrics
from course.models import gan

BATCH_SIZE, LEARNING_RATE = 64, 2e-3  # as in solutions/06-detection-and-generation
STOPS = (10, 40, 70, 100)  # the notebook's fit calls: up to epoch 10, 40, 70 then 100


def measures(generator, x, y, seed):
    samples = gan.sample(generator, 100, gan.LATENT_DIM, seed=seed)
    distance = metrics.nearest_distances(samples, x).min()
    precision = metrics.manifold_precision(samples, x)
    digits = len(set(metrics.digit_recogniser(x, y).predict(samples.reshape(100, -1))))
    return distance, precision, digits


def builder(name: str):
    if name == "reference":
        return gan.build_generator
    from course.alternatives.detection_generation import ALTERNATIVES

    namespace = {"keras": keras, "layers": keras.layers, "np": np}
    exec(ALTERNATIVES["build_generator"][name], namespace)
    return namespace["build_generator"]


def train(build, seed, x):
    keras.utils.set_random_seed(seed)
    generator = build(gan.LATENT_DIM)
    model = gan.GAN(generator, gan.build_discriminator(), latent_dim=gan.LATENT_DIM, seed=seed)
    model.compile(d_optimizer=keras.optimizers.Adam(LEARNING_RATE, beta_1=0.5),
                  g_optimizer=keras.optimizers.Adam(LEARNING_RATE, beta_1=0.5),
                  steps_per_execution=16)
    start, done = time.perf_counter(), 0
    gan.sample(generator, 10, gan.LATENT_DIM, seed=seed)  # the notebook shows samples as it goes
    for until in STOPS:
        model.fit(x, epochs=until, initial_epoch=done, batch_size=BATCH_SIZE, verbose=0)
        gan.sample(generator, 10, gan.LATENT_DIM, seed=seed)
        done = until
    return generator, time.perf_counter() - start


def main(seeds: int = 10, name: str = "reference") -> None:
    x, y, _, _ = datasets.digits()
    build = builder(name)
    keras.utils.set_random_seed(0)
    print("untrained:", measures(build(gan.LATENT_DIM), x, y, 0), flush=True)
    rows = []
    for seed in range(seeds):
        generator, seconds = train(build, seed, x)
        untruncated = gan.sample(generator, 100, gan.LATENT_DIM, seed=0, truncation=1.0)
        rows.append((*measures(generator, x, y, 0), *measures(generator, x, y, 5),
                     metrics.manifold_precision(untruncated, x), seconds))
        print(f"seed {seed}: " + " ".join(f"{v:.3f}" for v in rows[-1]), flush=True)
    values = np.array(rows)
    names = ("distance", "precision", "digits", "distance@5", "precision@5", "digits@5",
             "precision N(0, I)", "fit s")
    for i, column in enumerate(values.T):
        print(f"{names[i]:17} min {column.min():.3f} median {np.median(column):.3f} "
              f"max {column.max():.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10,
         sys.argv[2] if len(sys.argv) > 2 else "reference")
