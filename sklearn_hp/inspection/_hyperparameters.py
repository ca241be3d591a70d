"""Defaults, constraints and descriptions of hyperparameters."""

import inspect
import math
import re
from functools import lru_cache
from numbers import Number

import numpy as np

from ._fitted import is_estimator


class _NoDefault:
    """Marks a hyperparameter without default: required, or not an ``__init__`` one."""

    def __repr__(self):
        return "<no default>"

    def __reduce__(self):
        return "NO_DEFAULT"


NO_DEFAULT = _NoDefault()


@lru_cache(maxsize=512)
def init_defaults(cls):
    """Defaults of the constructor arguments of ``cls``.

    The signatures of every ``__init__`` along the class hierarchy are merged,
    the most derived first: wrappers whose ``__init__`` takes ``**kwargs``
    (xgboost's, for one) declare their defaults in a base class.
    """
    defaults = {}
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None or init is object.__init__:
            continue
        init = getattr(init, "deprecated_original", init)
        try:
            parameters = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):
            continue
        for parameter in parameters:
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            if parameter.name == "self" or parameter.name in defaults:
                continue
            defaults[parameter.name] = (
                NO_DEFAULT
                if parameter.default is parameter.empty
                else parameter.default
            )
    return defaults


def _is_nan(value):
    return isinstance(value, float) and math.isnan(value)


def same_value(a, b):
    """Whether two hyperparameter values make the estimator behave the same.

    Compares by value, not identity: estimators by class and parameters,
    sequences and arrays element by element (``(100,)`` equals ``[100]``),
    dicts by items, NaN equals NaN.
    """
    if a is b:
        return True
    if a is NO_DEFAULT or b is NO_DEFAULT:
        return False
    if is_estimator(a) or is_estimator(b) or _has_params(a) or _has_params(b):
        if type(a) is not type(b):
            return False
        try:
            params_a, params_b = a.get_params(deep=False), b.get_params(deep=False)
        except Exception:
            return False
        return params_a.keys() == params_b.keys() and all(
            same_value(params_a[key], params_b[key]) for key in params_a
        )
    if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
        return type(a) is type(b) and a == b
    if _is_nan(a) and _is_nan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    sequence = (list, tuple, np.ndarray)
    if isinstance(a, sequence) and isinstance(b, sequence):
        array_a, array_b = _numeric_array(a), _numeric_array(b)
        if array_a is not None and array_b is not None:
            return array_a.shape == array_b.shape and bool(
                np.array_equal(array_a, array_b, equal_nan=array_a.dtype.kind == "f")
            )
        try:
            if len(a) != len(b):
                return False
        except TypeError:  # 0-d object arrays
            return False
        return all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, sequence) or isinstance(b, sequence):
        return False
    try:
        equal = a == b
    except Exception:
        return False
    return bool(equal) if isinstance(equal, (bool, np.bool_)) else False


def _has_params(value):
    return hasattr(value, "get_params") and not isinstance(value, type)


def _numeric_array(value):
    """``value`` as a numeric array, or None if it is not one."""
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):  # ragged sequences
        return None
    return array if array.dtype.kind in "biuf" else None


@lru_cache(maxsize=512)
def constraint_texts(cls):
    """Readable ``_parameter_constraints`` of ``cls``: name -> text."""
    constraints = getattr(cls, "_parameter_constraints", None)
    if not isinstance(constraints, dict):
        return {}
    try:
        from ..utils._sklearn_compat import Hidden, make_constraint
    except ImportError:  # pragma: no cover - scikit-learn moved it
        return {name: repr(value) for name, value in constraints.items()}
    texts = {}
    for name, options in constraints.items():
        if options == "no_validation":
            texts[name] = "not validated"
            continue
        parts = []
        for option in options:
            if isinstance(option, Hidden):
                continue
            try:
                parts.append(str(make_constraint(option)))
            except Exception:
                parts.append(repr(option))
        texts[name] = " or ".join(parts)
    return texts


_SECTION = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}\s*$", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(\"'])")


@lru_cache(maxsize=512)
def parameter_descriptions(cls):
    """First sentence of the numpydoc entry of each parameter: name -> text."""
    doc = inspect.getdoc(cls) or ""
    sections = list(_SECTION.finditer(doc))
    for position, match in enumerate(sections):
        if match.group(1).strip() == "Parameters":
            end = (
                sections[position + 1].start() if position + 1 < len(sections) else None
            )
            return _entries(doc[match.end() : end])
    return {}


def _entries(section):
    descriptions = {}
    names, lines = [], []

    def flush():
        text = " ".join(line.strip() for line in lines).strip()
        sentence = _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""
        for name in names:
            descriptions[name] = sentence

    for line in section.splitlines():
        if line and not line[0].isspace():
            flush()
            head = line.split(" : ")[0]
            names = [name.strip().lstrip("*") for name in head.split(",")]
            lines = []
        elif line.strip():
            lines.append(line)
    flush()
    return descriptions


def value_text(value, width=60):
    """Short readable text of a hyperparameter or fitted value."""
    if isinstance(value, float):
        text = repr(value)
        return text if len(text) <= 10 else f"{value:.6g}"
    if isinstance(value, (Number, np.generic, bool)) or value is None:
        return str(value)
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=6, precision=4, separator=", ")
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."
