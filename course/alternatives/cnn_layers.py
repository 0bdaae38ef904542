"""Correct answers to notebook 02-cnn-layers, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "02-cnn-layers"

ALTERNATIVES: dict[str, dict[str, str]] = {}
