"""course.judge.remote and .oracle: the student's objects seen from the judge, as data."""

from __future__ import annotations

import numpy as np
import pytest

from course.judge.remote import LoopbackTransport, Remote, RemoteError, Session, session_of


def _session(source: str) -> Session:
    namespace: dict = {}
    exec(source, namespace)
    return Session(LoopbackTransport(namespace))


def test_a_function_is_called_with_data_and_answers_data():
    session = _session("import numpy as np\ndef f(x, k=1):\n    return np.asarray(x) * k, 'ok'\n")
    f = session.name("f")
    assert type(f) is Remote and session_of(f) is session
    array, text = f([1, 2], k=np.float32(3))
    assert isinstance(array, np.ndarray) and array.tolist() == [3, 6] and text == "ok"


def test_an_object_that_compares_equal_to_anything_stays_an_object():
    """Is an answer whose __eq__ always says True unable to pass an equality test?"""
    session = _session(
        "class Sly:\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = object.__hash__\n"
        "def f():\n    return Sly()\n"
    )
    answer = session.name("f")()
    assert type(answer) is Remote
    assert (answer == 3) is False


def test_the_student_errors_come_back_with_type_and_line():
    session = _session("def f(x):\n    return 1 / 0\n\nclass Odd(Exception):\n    pass\n"
                       "def g():\n    raise Odd('strange')\n")
    with pytest.raises(ZeroDivisionError) as error:
        session.name("f")(1)
    assert error.value.student_where.startswith("line 2 of `f`")
    with pytest.raises(RemoteError) as odd:
        session.name("g")()
    assert odd.value.student_type == "Odd" and "strange" in str(odd.value)
    with pytest.raises(NameError):
        session.name("undefined_here")


def test_identity_of_the_same_kernel_object_is_kept():
    """Is the same kernel object the same Remote (so `a.model is model` can be checked)?"""
    session = _session("class Box:\n    pass\nbox = Box()\nbox.me = box\nother = Box()\n")
    box = session.name("box")
    assert box.me is box and session.name("other") is not box


def test_isinstance_against_the_judges_own_classes():
    import keras

    session = _session("import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\n")
    model = session.name("model")
    assert isinstance(model, keras.Model) and not isinstance(model, keras.layers.Dense)
    assert type(model) is Remote


def test_a_students_subclass_is_an_instance_of_its_keras_base():
    import keras

    session = _session(
        "import keras\nclass Mine(keras.Model):\n    def call(self, x):\n        return x\n"
        "model = Mine()\n"
    )
    model = session.name("model")
    assert isinstance(model, keras.Model) and type(model) is Remote
    assert "Mine" in repr(model)


def test_a_class_the_judge_has_not_imported_is_not_resolved():
    """Does the judge never import a module a kernel names (only keras, numpy, tensorflow)?"""
    import sys

    session = _session("import json\nclass X:\n    pass\nX.__module__ = 'antigravity'\nx = X()\n")
    x = session.name("x")
    assert x.__class__ is Remote and "antigravity" not in sys.modules


def test_keras_models_are_built_where_the_answer_lives():
    import keras

    from course.checking import space

    session = _session("def f(model):\n    return model.count_params()\n")
    f = session.name("f")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    assert f(model) == 8
    there = space.put(f, model)
    assert type(there) is Remote and there.count_params() == 8
    inputs = space.keras_for(f).Input(shape=(4,))
    assert tuple(inputs.shape) == (None, 4)


def test_remotes_not_kept_are_released_in_the_kernel():
    session = _session("class Box:\n    pass\ndef make():\n    return Box()\n")
    oracle = session.transport.oracle
    make = session.name("make")
    boxes = [make() for _ in range(5)]
    kept = boxes[0]
    assert len(oracle.objects) == 6
    session.release_except({"kept": kept, "make": [make]})
    assert len(oracle.objects) == 2 and kept.__class__ is Remote
    assert session.name("make") is make
