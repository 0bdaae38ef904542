"""Correct answers to notebook 05-architectures, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "05-architectures"

ALTERNATIVES: dict[str, dict[str, str]] = {}
