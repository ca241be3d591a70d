"""Models read from files: ``.skops`` files through skops' safe loader.

What lives here: which arguments are paths of model files, the reading of a
``.skops`` file that refuses the types neither skops nor the caller trusts,
and the words of that refusal; ParamInspector and the command line share them.
What does not: loading a pickle. Loading a pickle runs whatever code it holds,
so nothing here does it; only the command line does, behind ``--trust``.

skops is an optional dependency (the ``skops`` extra): it is imported when a
file is read, so that the rest of the package works without it.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SKOPS_SUFFIX = ".skops"
# Suffixes of the files pickle and joblib write, so that a str ending with one
# is taken for the path it is, and refused, rather than for an estimator.
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".sav", ".pck", ".p")

_INSTALL_SKOPS = 'pip install "sklearn_hp[skops]"'


def is_model_path(value: Any) -> bool:
    """Whether ``value`` names a model file rather than being an estimator.

    Every ``os.PathLike`` does; a str does when it ends with ``.skops`` or a
    suffix pickle and joblib files are given (a str such as ``"SVC"`` is left to
    be refused as what it is, not an estimator).
    """
    if isinstance(value, os.PathLike):
        return True
    if not isinstance(value, str):
        return False
    return value.lower().endswith((SKOPS_SUFFIX, *PICKLE_SUFFIXES))


def is_skops_path(path: str | os.PathLike) -> bool:
    """Whether ``path`` names a ``.skops`` file, by its suffix."""
    return Path(path).suffix.lower() == SKOPS_SUFFIX


def import_skops_io() -> Any:
    """Return ``skops.io``, or raise an ImportError that says how to install it."""
    try:
        import skops.io
    except ImportError as error:
        raise ImportError(
            "Reading a .skops file needs skops, an optional dependency of "
            f"sklearn_hp: install it with {_INSTALL_SKOPS}"
        ) from error
    return skops.io


def untrusted_text(path: str | os.PathLike, types: Sequence[str]) -> str:
    """Say that ``path`` holds ``types``, which skops does not trust, and why."""
    listed = "".join(f"\n    {name}" for name in types)
    why = (
        "skops trusts by default only the NumPy, SciPy and scikit-learn types it "
        "has reviewed and found safe to load; it knows none of another "
        "package's"
    )
    if any(name.split(".")[0] == "sklearn_hp" for name in types):
        why += ", sklearn_hp's own classes among them"
    why += (
        ". Loading an untrusted type can run its code, with your permissions, "
        "as the file describes it."
    )
    return (
        f"refusing to load {os.fspath(path)}: it holds "
        f"{_count(len(types), 'type')} that skops does not trust by default:"
        f"{listed}\n{textwrap.fill(why, width=79)}"
    )


def read_untrusted_types(path: str | os.PathLike) -> list[str]:
    """Return the types in the ``.skops`` file ``path`` that skops does not trust.

    Raises
    ------
    ImportError
        If skops is not installed.
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is not one skops can read.
    """
    skops_io = import_skops_io()
    try:
        return list(skops_io.get_untrusted_types(file=path))
    except (FileNotFoundError, IsADirectoryError):
        raise
    except Exception as error:  # a zip file or not, a schema or not: unreadable
        raise ValueError(_unreadable(path, error)) from error


def load_skops(path: str | os.PathLike, trusted: Sequence[str] | None = None) -> Any:
    """Load the ``.skops`` file ``path``, refusing the types nobody trusts.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    trusted : sequence of str, default=None
        Full names of types to load although skops does not trust them by
        default, as ``skops.io.get_untrusted_types`` writes them.

    Returns
    -------
    obj : object
        What the file holds.

    Raises
    ------
    TypeError
        If the file holds types neither skops nor ``trusted`` trusts: the
        message lists them.
    ImportError, FileNotFoundError, ValueError
        As :func:`read_untrusted_types`, and ValueError if the file cannot be
        loaded.
    """
    if isinstance(trusted, str):
        raise TypeError(
            f"trusted must be a list of type names, such as [{trusted!r}], not a str"
        )
    skops_io = import_skops_io()
    untrusted = read_untrusted_types(path)
    refused = [name for name in untrusted if name not in set(trusted or ())]
    if refused:
        raise TypeError(
            f"ParamInspector: {untrusted_text(path, refused)}\nIf you made the "
            f"file or trust whoever did, pass trusted={refused!r}"
        )
    try:
        return skops_io.load(path, trusted=untrusted)
    except Exception as error:  # a schema skops reads but cannot build
        raise ValueError(_unreadable(path, error)) from error


def load_model_file(
    path: str | os.PathLike, trusted: Sequence[str] | None = None
) -> Any:
    """Load the model file ``path`` if it is a ``.skops`` file; refuse any other.

    Raises
    ------
    ValueError
        If ``path`` is not a ``.skops`` file: pickles and joblib files are
        never loaded here.
    """
    if not is_skops_path(path):
        raise ValueError(
            f"ParamInspector reads models from .skops files only, not "
            f"{os.fspath(path)}: loading a pickle or joblib file runs whatever "
            "code it holds. Load it yourself, with joblib.load, only if you made "
            "it or trust whoever did, and pass the estimator; or save the model "
            "with skops.io.dump to a .skops file."
        )
    return load_skops(path, trusted=trusted)


def _unreadable(path, error):
    return (
        f"{os.fspath(path)} is not a model file skops can read "
        f"({type(error).__name__}: {error})"
    )


def _count(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
