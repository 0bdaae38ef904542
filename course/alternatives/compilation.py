"""Correct answers to notebook 03-compilation, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "03-compilation"

ALTERNATIVES: dict[str, dict[str, str]] = {}
