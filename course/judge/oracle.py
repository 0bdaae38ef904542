"""The kernel's side of grading: answer the judge's probes about the student's namespace.

Runs inside the student's (sandboxed) kernel, so nothing here is trusted: a student may
replace any of it. What it sends back is only ever data (``course.judge.wire``) that the
judge checks itself; a forged answer is just a wrong or right answer.

Probes (``op`` and its fields) and what they answer:

- ``name``: the value bound to ``name`` in the notebook's namespace (``NameError`` if none);
- ``module``: a module of keras, numpy or course, as a handle;
- ``getattr`` / ``call`` / ``item`` / ``len`` / ``iter`` / ``array`` / ``float`` / ``int`` /
  ``bool`` / ``repr`` / ``setattr``: that operation on an object the kernel handed out before
  (``target``: its handle), its result encoded;
- ``put``: build what the judge sends (e.g. a Keras model) here, answer its handle;
- ``release``: forget handles.

A failure in student code comes back as ``{"error": [type, message, where]}``.
"""

from __future__ import annotations

import importlib
import itertools
import json  # imported here, not per probe: a student's patched __import__ cannot reach it
import os
import sys
import traceback
from typing import Any

import numpy as np

from course.judge import wire

#: The packages whose modules a probe may ask for (to build inputs where the answer is).
MODULE_PACKAGES = ("keras", "numpy", "course")


def class_path(obj: Any) -> str:
    """``module.QualName`` of ``obj``'s class."""
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def class_paths(obj: Any) -> list[str]:
    """``module.QualName`` of each class of ``obj``'s MRO (a student's subclass first)."""
    return [f"{c.__module__}.{c.__qualname__}" for c in type(obj).__mro__[:32]]


def _as_data(obj: Any) -> Any:
    """Backend values that are data: an eager tensor as a NumPy array, a TensorShape as a
    tuple; None for what stays an object (symbolic tensors, variables, models...)."""
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return None
    if isinstance(obj, tf.TensorShape):
        return tuple(None if d is None else int(d) for d in obj) if obj.rank is not None else None
    if isinstance(obj, tf.Tensor) and not isinstance(obj, tf.Variable):
        try:
            return obj.numpy()
        except Exception:  # noqa: BLE001 - a graph tensor: keep it as an object
            return None
    return None


def _where(error: BaseException) -> str:
    """The student's line that raised ``error``: the last frame outside the course package."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/course/" not in f.filename]
    if not frames:
        return ""
    frame = frames[-1]
    return f"line {frame.lineno} of `{frame.name}`: `{(frame.line or '').strip()}`"


class Oracle:
    """Answers probes against ``namespace`` (the notebook's globals)."""

    def __init__(self, namespace: dict, folder: str | None = None):
        self.namespace = namespace
        self.folder = folder  # where the runner leaves probes (course.judge.runner)
        self.objects: dict[int, Any] = {}
        self.ids: dict[int, int] = {}  # id(obj) -> handle, so one object keeps one handle
        self.counter = itertools.count(1)

    # --- encoding ----------------------------------------------------------------------

    def handle_of(self, obj: Any) -> list:
        handle = self.ids.get(id(obj))
        if handle is None or self.objects.get(handle) is not obj:
            handle = next(self.counter)
            self.objects[handle] = obj
            self.ids[id(obj)] = handle
        try:
            text = repr(obj)[:200]
        except Exception:  # noqa: BLE001 - a student's __repr__ that fails
            text = f"<{class_path(obj)}>"
        return [handle, class_paths(obj), text]

    def encode(self, value: Any) -> Any:
        data = _as_data(value)
        if data is not None:
            value = data

        def handle_of(obj):
            data = _as_data(obj)
            if data is None:
                return {"$remote": self.handle_of(obj)}
            return wire.encode_value(data, handle_of)

        return wire.encode_value(value, handle_of)

    def decode(self, data: Any) -> Any:
        return wire.decode_value(data, remote=self._local, keras_model=_keras_model)

    def _local(self, body: list) -> Any:
        handle = body[0]
        if handle not in self.objects:
            raise wire.WireError(f"unknown handle {handle}")
        return self.objects[handle]

    # --- probes ------------------------------------------------------------------------

    def serve(self, number: int) -> None:
        """Answer the runner's probe ``number`` (files in the probe folder)."""
        base = os.path.join(self.folder, f"{{}}-{number}.json")
        with open(base.format("request")) as file:
            request = json.load(file)
        response = json.dumps(self.answer(request), allow_nan=False)
        partial = base.format("partial")
        with open(partial, "w") as file:
            file.write(response)
        os.replace(partial, base.format("response"))

    def answer(self, request: dict) -> dict:
        """The response to one probe: ``{"value": ...}`` or ``{"error": [type, msg, where]}``."""
        try:
            value = self._run(request)
            return {"value": self.encode(value)}
        except BaseException as error:  # noqa: BLE001 - student code may raise anything
            if isinstance(error, KeyboardInterrupt | SystemExit):
                name = type(error).__name__
                return {"error": [name, str(error)[:2000], ""]}
            return {"error": [type(error).__name__, str(error)[:2000], _where(error)]}

    def _run(self, request: dict) -> Any:
        op = request.get("op")
        if op == "name":
            name = request["name"]
            if name not in self.namespace:
                raise NameError(f"name '{name}' is not defined")
            return self.namespace[name]
        if op == "module":
            name = request["name"]
            if not isinstance(name, str) or name.split(".")[0] not in MODULE_PACKAGES:
                raise ImportError(f"module {name!r} is not offered")
            return importlib.import_module(name)
        if op == "put":
            return self.decode(request["value"])
        if op == "release":
            for handle in request.get("handles", []):
                obj = self.objects.pop(handle, None)
                if obj is not None:
                    self.ids.pop(id(obj), None)
            return None
        target = self._local([request["target"]])
        if op == "getattr":
            return getattr(target, request["name"])
        if op == "setattr":
            setattr(target, request["name"], self.decode(request["value"]))
            return None
        if op == "call":
            args = self.decode(request.get("args", []))
            kwargs = self.decode(request.get("kwargs", {"$dict": []}))
            return target(*args, **kwargs)
        if op == "item":
            return target[self.decode(request["key"])]
        if op == "len":
            return len(target)
        if op == "iter":
            return list(itertools.islice(iter(target), 100_000))
        if op == "array":
            array = np.asarray(target)
            if array.dtype.kind not in wire.ARRAY_KINDS:
                raise TypeError(f"cannot be read as an array of numbers ({array.dtype})")
            return array
        if op in ("float", "int", "bool"):
            return {"float": float, "int": int, "bool": bool}[op](target)
        if op == "repr":
            return repr(target)[:2000]
        raise ValueError(f"unknown probe {op!r}")


def _keras_model(body: list):
    """A Keras model the judge sent as (config JSON, weights)."""
    import keras

    config, weights = body
    model = keras.models.model_from_json(config)
    model.set_weights([wire.decode_value(w) for w in weights])
    return model
