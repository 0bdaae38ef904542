"""course.judge.wire: plain data crosses, nothing else does."""

from __future__ import annotations

import json

import numpy as np
import pytest

from course.judge import wire


def _round_trip(value):
    return wire.decode_value(json.loads(json.dumps(wire.encode_value(value))))


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2**80,
        -1.5,
        "ünïcode",
        [1, [2, 3]],
        (1, (2.0, "x")),
        {"a": 1, 2: (3,), (1, 2): None},
        slice(1, None, 2),
        {"a", 1, (2, 3)},
        frozenset({"x"}),
    ],
)
def test_plain_values_cross_unchanged(value):
    """Do Python values come back equal and of the same type?"""
    back = _round_trip(value)
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_floats_cross(value):
    back = _round_trip(value)
    assert type(back) is float and (np.isnan(back) if np.isnan(value) else back == value)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "uint8", "bool", "complex64"])
def test_arrays_keep_dtype_and_shape(dtype):
    array = np.arange(24).reshape(2, 3, 4).astype(dtype)
    back = _round_trip(array)
    assert back.dtype == array.dtype and back.shape == array.shape and np.array_equal(back, array)
    assert back.flags.writeable


def test_numpy_scalars_stay_numpy_scalars():
    """Is np.float64(112.0) still an np.float64, and np.int32 an np.int32?"""
    for value in (np.float64(112.0), np.int32(-3), np.bool_(True)):
        back = _round_trip(value)
        assert type(back) is type(value) and back == value


@pytest.mark.parametrize(
    "value",
    [
        object(),
        np.array([object()], dtype=object),
        np.array(["a", "b"]),
        lambda: 1,
        type("Sly", (int,), {"__eq__": lambda self, other: True})(1),
        type("Sly", (float,), {})(1.0),
    ],
)
def test_what_is_not_data_does_not_cross(value):
    """Are objects, object arrays and look-alike subclasses of int and float refused?"""
    with pytest.raises(wire.WireError):
        wire.encode_value(value)


@pytest.mark.parametrize(
    "data",
    [
        {"$array": ["|O", [1], "AAAAAAAAAAA="]},  # object dtype
        {"$array": ["<f4", [2], "AAAA"]},  # wrong length
        {"$array": ["<f4", [-1], ""]},
        {"$remote": [1, "x", "y"]},  # no remote allowed here
        {"$keras": ["{}", []]},
        {"$pickle": "gASV"},
        {"a": 1, "b": 2},
        {"$slice": [1, "x", None]},
    ],
)
def test_forged_encodings_are_refused(data):
    with pytest.raises(wire.WireError):
        wire.decode_value(data)


def test_nesting_and_size_are_bounded():
    deep = 1
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(wire.WireError):
        wire.encode_value(deep)
    with pytest.raises(wire.WireError):
        wire.decode_value(json.loads(json.dumps(deep)))
    with pytest.raises(wire.WireError):
        wire.loads(b"[1, 2]")
    with pytest.raises(wire.WireError):
        wire.loads(b"not json")
