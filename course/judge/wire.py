"""What crosses between the judge and a student's kernel: plain data as JSON, nothing else.

A message is one JSON document. Values are encoded as:

- ``None``, ``bool``, ``int``, ``float`` (NaN and infinities included), ``str``: themselves;
- ``list``: a JSON list; ``tuple``, ``dict``: ``{"$tuple": [...]}``, ``{"$dict": [[k, v], ...]}``;
  a slice of ints: ``{"$slice": [start, stop, step]}``; sets ``{"$set": [...]}`` (and frozensets);
- NumPy arrays of numbers or booleans: ``{"$array": [dtype, shape, base64 bytes]}``, NumPy
  scalars ``{"$scalar": [dtype, base64 bytes]}`` (an ``np.float64`` stays an ``np.float64``);
- anything else, kernel -> judge: ``{"$remote": [handle, class path, repr]}``, an opaque handle
  the judge can only send back (see ``course.judge.remote``);
- a Keras model, judge -> kernel only: ``{"$keras": [config json, [weights]]}``.

No pickle, no code: decoding builds only the types above, refuses anything else
(``WireError``) and bounds the nesting and the size. Object dtypes never cross.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np

#: NumPy dtype kinds that may cross: booleans, signed and unsigned integers, floats, complex.
ARRAY_KINDS = frozenset("biufc")
MAX_DEPTH = 32
MAX_MESSAGE_BYTES = 1 << 30  # 1 GiB: VGG16's 138 million float32 weights fit


class WireError(ValueError):
    """A message that is not the course's plain data."""


def _dtype(name: str) -> np.dtype:
    dtype = np.dtype(name)
    if dtype.kind not in ARRAY_KINDS or dtype.hasobject or dtype.fields is not None:
        raise WireError(f"dtype {name!r} cannot cross (numbers and booleans only)")
    return dtype


def encode_value(value: Any, handle_of: Callable[[Any], dict] | None = None, depth: int = 0):
    """``value`` as JSON-ready data; ``handle_of(obj)`` encodes what is not data (a tagged
    dict: ``$remote`` or ``$keras``); without it such a value raises WireError."""
    if depth > MAX_DEPTH:
        raise WireError(f"nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, bool | str):
        return value
    if type(value) is int:
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS and not value.dtype.fields:
        data = np.ascontiguousarray(value)
        return {"$array": [data.dtype.str, list(data.shape), _b64(data.tobytes())]}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return {"$scalar": [value.dtype.str, _b64(value.tobytes())]}
    step = depth + 1
    if type(value) is list:
        return [encode_value(v, handle_of, step) for v in value]
    if type(value) is tuple:
        return {"$tuple": [encode_value(v, handle_of, step) for v in value]}
    if type(value) in (set, frozenset):
        tag = "$set" if type(value) is set else "$frozenset"
        return {tag: [encode_value(v, handle_of, step) for v in value]}
    if type(value) is dict:
        return {
            "$dict": [
                [encode_value(k, handle_of, step), encode_value(v, handle_of, step)]
                for k, v in value.items()
            ]
        }
    if type(value) is slice and all(v is None or type(v) is int for v in _parts(value)):
        return {"$slice": list(_parts(value))}
    if handle_of is None:
        raise WireError(f"a {type(value).__name__} is not plain data")
    return handle_of(value)


def decode_value(
    data: Any,
    remote: Callable[[list], Any] | None = None,
    keras_model: Callable[[list], Any] | None = None,
    depth: int = 0,
):
    """The value ``data`` encodes. ``remote(handle)`` / ``keras_model(payload)`` build what the
    two special tags stand for; without them those tags raise WireError."""
    if depth > MAX_DEPTH:
        raise WireError(f"nested deeper than {MAX_DEPTH} levels")
    if data is None or isinstance(data, bool | int | float | str):
        return data
    step = depth + 1
    if isinstance(data, list):
        return [decode_value(v, remote, keras_model, step) for v in data]
    if not isinstance(data, dict) or len(data) != 1:
        raise WireError(f"not an encoded value: {str(data)[:80]}")
    ((tag, body),) = data.items()
    if tag == "$float" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "$tuple" and isinstance(body, list):
        return tuple(decode_value(v, remote, keras_model, step) for v in body)
    if tag in ("$set", "$frozenset") and isinstance(body, list):
        items = [decode_value(v, None, None, step) for v in body]
        try:
            return set(items) if tag == "$set" else frozenset(items)
        except TypeError as error:  # an unhashable item
            raise WireError(f"a set of unhashable items: {error}") from None
    if tag == "$dict" and isinstance(body, list):
        result = {}
        for pair in body:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise WireError("a $dict entry is not a [key, value] pair")
            key = decode_value(pair[0], None, None, step)
            try:
                result[key] = decode_value(pair[1], remote, keras_model, step)
            except TypeError as error:  # an unhashable key
                raise WireError(f"dict key {key!r} is not hashable") from error
        return result
    if tag == "$array" and isinstance(body, list) and len(body) == 3:
        dtype, shape, text = body
        if not (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)):
            raise WireError(f"bad array shape {shape!r}")
        raw = _unb64(text)
        dtype = _dtype(dtype)
        if len(raw) != dtype.itemsize * math.prod(shape):
            raise WireError("array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if (
        tag == "$slice"
        and isinstance(body, list)
        and len(body) == 3
        and all(v is None or type(v) is int for v in body)
    ):
        return slice(*body)
    if tag == "$scalar" and isinstance(body, list) and len(body) == 2:
        dtype = _dtype(body[0])
        raw = _unb64(body[1])
        if len(raw) != dtype.itemsize:
            raise WireError("scalar data does not match its dtype")
        return np.frombuffer(raw, dtype=dtype)[0]
    if tag == "$remote" and remote is not None and isinstance(body, list) and len(body) == 3:
        return remote(body)
    if tag == "$keras" and keras_model is not None and isinstance(body, list) and len(body) == 2:
        return keras_model(body)
    raise WireError(f"{tag!r} cannot cross here")


def _parts(value: slice) -> tuple:
    return value.start, value.stop, value.step


def dumps(message: dict) -> bytes:
    """One message as a line of JSON (UTF-8)."""
    return json.dumps(message, separators=(",", ":"), allow_nan=False).encode() + b"\n"


def loads(line: bytes) -> dict:
    """Parse one message line; WireError if it is not a JSON object within the size bound."""
    if len(line) > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {len(line):,} bytes is over the {MAX_MESSAGE_BYTES:,} limit")
    try:
        message = json.loads(line)
    except (ValueError, RecursionError) as error:
        raise WireError(f"not JSON: {error}") from None
    if not isinstance(message, dict):
        raise WireError("a message must be a JSON object")
    return message


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise WireError("array data must be base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:
        raise WireError(f"bad base64: {error}") from None
