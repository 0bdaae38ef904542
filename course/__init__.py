"""A computer-vision course in Keras 3: the helper library its notebooks import.

Importing ``course`` does not import TensorFlow; the modules that need it
(``course.models``, the checks) import it on first use.
"""

import os

# Keras 3 on TensorFlow, without TensorFlow's start-up chatter.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from course import quiet  # noqa: E402

quiet.install()  # absl/cudart lines that ignore TF_CPP_MIN_LOG_LEVEL

__version__ = "0.1.0"
