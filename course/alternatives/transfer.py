"""Correct answers to notebook 04-transfer, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "04-transfer"

ALTERNATIVES: dict[str, dict[str, str]] = {}
