"""The judge's side of a probe: stand-ins for the student's objects, over a transport.

A ``Remote`` stands for one object in the student's kernel (a function, a model, a layer):
calling it, reading an attribute or an item, ``len``, ``iter``, ``np.asarray``, ``float``
and ``int`` each become one probe (``course.judge.oracle``), answered as data. A check
function of ``course.exercises`` runs unchanged on a Remote where it would get the student's
function. ``isinstance(remote, keras.Model)`` works for classes the judge itself has
imported (the kernel names the class; the judge never imports what the kernel names).
A failure in student code is raised again here with the kernel's type name and line
(``student_where``), for ``course.checking.crashes``.
"""

from __future__ import annotations

import builtins
import sys
from typing import Any

import numpy as np

from course.judge import wire

#: Class modules the judge may resolve a remote object's class in (never imported here).
CLASS_MODULES = ("keras.", "numpy", "tensorflow.")


class RemoteError(Exception):
    """Student code raised an exception that is not one of Python's built-in ones."""


class KernelGone(Exception):
    """The student's kernel died, hung past its time, or answered something that is not a
    response: grading of this cell stops here."""


class Transport:
    """Sends one probe and returns its response (both JSON-ready dicts)."""

    def request(self, message: dict) -> dict:  # pragma: no cover - interface
        raise NotImplementedError


class LoopbackTransport(Transport):
    """An oracle in this process, through the same encoding (the tests' stand-in kernel)."""

    def __init__(self, namespace: dict):
        from course.judge.oracle import Oracle

        self.oracle = Oracle(namespace)

    def request(self, message: dict) -> dict:
        probe = wire.loads(wire.dumps(message))
        return wire.loads(wire.dumps(self.oracle.answer(probe)))


def _student_exception(kind: str, message: str, where: str) -> BaseException:
    cls = getattr(builtins, kind, None) if isinstance(kind, str) else None
    error: BaseException
    if isinstance(cls, type) and issubclass(cls, Exception) and cls.__module__ == "builtins":
        try:
            error = cls(message)
        except TypeError:  # e.g. UnicodeDecodeError needs more arguments
            error = RemoteError(f"{kind}: {message}")
    else:
        error = RemoteError(message)
        error.student_type = str(kind)[:80]
    error.student_where = str(where)[:300]
    return error


class Session:
    """One student's kernel as the judge sees it: probes out, data and Remotes back."""

    def __init__(self, transport: Transport):
        self.transport = transport
        # One Remote per handle, so `is` and id() work within a grade cell; between cells the
        # judge releases the ones it no longer holds (``release_except``), so the kernel does
        # not keep every model a check built.
        self._remotes: dict[int, Remote] = {}

    # --- encoding ----------------------------------------------------------------------

    def _outgoing(self, obj: Any) -> dict:
        if type(obj) is Remote:
            if obj._session is not self:
                raise wire.WireError("a remote object of another kernel")
            return {"$remote": [obj._handle, [], ""]}
        tf = sys.modules.get("tensorflow")
        if tf is not None and isinstance(obj, tf.Tensor) and not isinstance(obj, tf.Variable):
            return wire.encode_value(obj.numpy())  # the judge's own tensors are data
        keras = sys.modules.get("keras")
        if keras is not None and isinstance(obj, keras.Model):
            weights = [wire.encode_value(w) for w in obj.get_weights()]
            return {"$keras": [obj.to_json(), weights]}
        raise wire.WireError(f"a {type(obj).__name__} cannot be sent to the student's kernel")

    def _incoming(self, body: list) -> Remote:
        handle, paths, text = body
        if (
            type(handle) is not int
            or not isinstance(paths, list)
            or not all(isinstance(p, str) for p in paths)
            or not isinstance(text, str)
        ):
            raise wire.WireError("bad remote handle")
        remote = self._remotes.get(handle)
        if remote is None:
            remote = Remote(self, handle, tuple(p[:300] for p in paths[:32]), text[:200])
            self._remotes[handle] = remote
        return remote

    def probe(self, op: str, **fields: Any) -> Any:
        """Send one probe; the answer as data or Remotes, or the student's exception raised."""
        message = {"op": op}
        for key, value in fields.items():
            encoded = key in ("args", "kwargs", "key", "value")
            message[key] = wire.encode_value(value, self._outgoing) if encoded else value
        response = self.transport.request(message)
        if not isinstance(response, dict):
            raise KernelGone("the kernel's answer is not a response")
        if "error" in response:
            error = response["error"]
            if not (isinstance(error, list) and len(error) == 3):
                raise KernelGone("the kernel's error is not [type, message, where]")
            raise _student_exception(*(str(part) for part in error))
        if "value" not in response:
            raise KernelGone("the kernel's answer has no value")
        try:
            return wire.decode_value(response["value"], remote=self._incoming)
        except wire.WireError as error:
            raise RemoteError(f"the answer is not plain data ({error})") from None

    # --- what checks and the judge use -------------------------------------------------

    def release_except(self, kept: Any) -> None:
        """Forget, here and in the kernel, every Remote not reachable from ``kept``."""
        reachable = {id(r) for r in _remotes_in(kept)}
        dropped = [h for h, r in self._remotes.items() if id(r) not in reachable]
        for handle in dropped:
            del self._remotes[handle]
        if dropped:
            self.probe("release", handles=dropped)

    def name(self, name: str) -> Any:
        """The student's value of ``name`` (NameError when the notebook does not define it)."""
        return self.probe("name", name=name)

    def module(self, name: str) -> Remote:
        """The kernel's module ``name`` (keras, numpy), to build things where the answer is."""
        return self.probe("module", name=name)

    def put(self, value: Any) -> Any:
        """Send ``value`` (e.g. a Keras model) into the kernel; a Remote for it there."""
        return self.probe("put", value=value)


def _remotes_in(value: Any, depth: int = 0):
    """The Remotes in ``value`` and its lists, tuples, sets and dicts (a few levels deep)."""
    if type(value) is Remote:
        yield value
    elif depth < 6 and isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _remotes_in(item, depth + 1)
    elif depth < 6 and isinstance(value, dict):
        for item in value.values():
            yield from _remotes_in(item, depth + 1)


def _resolve_class(paths: tuple[str, ...]) -> type | None:
    """The judge's own class for the first of ``paths`` (the remote object's MRO) it knows."""
    for path in paths:
        cls = _known_class(path)
        if cls is not None:
            return cls
    return None


def _known_class(path: str) -> type | None:
    """The judge's own class named ``path``, when its module is one the judge has imported."""
    module_name, _, qualname = path.rpartition(".")
    if not module_name.startswith(CLASS_MODULES) and module_name != "builtins":
        return None
    module = sys.modules.get(module_name)
    if module is None or "." in qualname:
        return None
    cls = getattr(module, qualname, None)
    if module_name == "builtins":  # the base of every MRO: says nothing
        return None
    return cls if isinstance(cls, type) else None


class Remote:
    """One object of the student's kernel (see the module docstring)."""

    __slots__ = ("_session", "_handle", "_path", "_text", "__weakref__")

    def __init__(self, session: Session, handle: int, path: str, text: str):
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_text", text)

    def _probe(self, op: str, **fields: Any) -> Any:
        return self._session.probe(op, target=self._handle, **fields)

    @property
    def __class__(self):  # noqa: D105 - isinstance() against the judge's own classes
        cls = _resolve_class(self._path)
        return cls if cls is not None else Remote

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._probe("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._probe("setattr", name=name, value=value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._probe("call", args=list(args), kwargs=dict(kwargs))

    def __getitem__(self, key: Any) -> Any:
        return self._probe("item", key=key)

    def __len__(self) -> int:
        return _checked(self._probe("len"), int, "len()")

    def __iter__(self):
        return iter(_checked(self._probe("iter"), list, "iter()"))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        array = _checked(self._probe("array"), np.ndarray, "np.asarray()")
        return array if dtype is None else array.astype(dtype)

    def __float__(self) -> float:
        return float(_checked(self._probe("float"), float, "float()"))

    def __int__(self) -> int:
        return int(_checked(self._probe("int"), int, "int()"))

    def __index__(self) -> int:
        return self.__int__()

    def __bool__(self) -> bool:
        return bool(_checked(self._probe("bool"), bool, "bool()"))

    def __repr__(self) -> str:
        name = self._path[0].rpartition(".")[2] if self._path else "object"
        return f"<student's {name}: {self._text}>"

    def __reduce__(self):
        raise TypeError("a student's object cannot be pickled")


def _checked(value: Any, kind: type, what: str) -> Any:
    accepted = type(value) is kind or (
        (kind is float and isinstance(value, int | np.floating))
        or (kind is int and isinstance(value, np.integer))
    )
    if not accepted:
        raise RemoteError(f"{what} of a student's object answered {type(value).__name__}")
    return value


def session_of(obj: Any) -> Session | None:
    """The session ``obj`` came from, or None for a local object."""
    return object.__getattribute__(obj, "_session") if type(obj) is Remote else None
