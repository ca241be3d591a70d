"""Checkpoints of a search: every finished evaluation, saved as JSON.

A checkpoint holds a fingerprint of what the scores depend on (the data,
the cross-validation splits, the estimator and the scoring) and, for each
evaluated candidate, its hyperparameters and the per-fold results of
scikit-learn's ``_fit_and_score``. It is rewritten after every batch by
writing a new file and renaming it over the old one, so that a search killed
at any moment leaves either the previous checkpoint or the new one, never a
torn file. Nothing is pickled: values are numbers, strings, booleans, None
and tuples of those; any other value (an estimator searched as a step) is
saved as its identity and found again in the search space on resume.
"""

import json
import math
import os
import tempfile

import joblib
import numpy as np

from ._space import _value_key

_FORMAT = "sklearn_hp.BayesSearchCV checkpoint"
_VERSION = 1
_PARTS = {
    "data": "the data (X, y and the fit parameters)",
    "splits": "the cross-validation splits",
    "estimator": "the estimator",
    "scoring": "the scoring",
}


def fingerprint(*, X, y, fit_params, splits, estimator, scoring, return_train_score):
    """Hashes of what a saved score depends on, by part.

    Returns
    -------
    fingerprint : dict of str to str
    """
    return {
        "data": joblib.hash((X, y, fit_params)),
        "splits": joblib.hash([(np.asarray(a), np.asarray(b)) for a, b in splits]),
        "estimator": joblib.hash(estimator),
        "scoring": joblib.hash((_scoring_key(scoring), bool(return_train_score))),
    }


def _scoring_key(scoring):
    """Identity of a scoring that is the same in every process."""
    if scoring is None or isinstance(scoring, str):
        return scoring
    if isinstance(scoring, dict):
        return {name: _scoring_key(value) for name, value in scoring.items()}
    if isinstance(scoring, list | tuple):
        return [_scoring_key(value) for value in scoring]
    name = getattr(scoring, "__qualname__", None)
    if name is not None:
        return f"{getattr(scoring, '__module__', '')}.{name}"
    return repr(scoring)


def _encode(value):
    """Turn a value into JSON, tagging what JSON cannot say by itself."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, dict):
        return {"dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return {"object": list(_value_key(value)), "repr": repr(value)[:200]}


def _decode(value, objects):
    if isinstance(value, list):
        return [_decode(v, objects) for v in value]
    if not isinstance(value, dict):
        return value
    if "float" in value:
        return float(value["float"])
    if "tuple" in value:
        return tuple(_decode(v, objects) for v in value["tuple"])
    if "dict" in value:
        return {_decode(k, objects): _decode(v, objects) for k, v in value["dict"]}
    key = tuple(value["object"])
    if key not in objects:
        raise ValueError(
            f"checkpoint: a saved candidate holds {value['repr']}, which is not a "
            "value of the search space any more; restore the search space the "
            "checkpoint was made with, or use another checkpoint path"
        )
    return objects[key]


def save(path, fingerprint_, candidates, outs, n_splits, propose_times):
    """Write every evaluation so far to ``path``, atomically.

    Parameters
    ----------
    path : str or path-like
    fingerprint_ : dict
    candidates : list of dict
        The evaluated candidates, in order.
    outs : list of dict
        ``_fit_and_score`` results: ``n_splits`` consecutive ones per candidate.
    n_splits : int
    propose_times : list of float
    """
    evaluations = []
    for index, params in enumerate(candidates):
        folds = outs[index * n_splits : (index + 1) * n_splits]
        evaluations.append(
            {
                "params": {name: _encode(v) for name, v in params.items()},
                "folds": [
                    {k: _encode(v) for k, v in fold.items() if k != "estimator"}
                    for fold in folds
                ],
                "propose_time": _encode(propose_times[index]),
            }
        )
    document = {
        "format": _FORMAT,
        "version": _VERSION,
        "fingerprint": fingerprint_,
        "n_splits": n_splits,
        "evaluations": evaluations,
    }
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(
        dir=directory, prefix=".checkpoint-", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w") as file:
            json.dump(document, file, allow_nan=False)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def load(path, fingerprint_, n_splits, subspaces):
    """Read the evaluations of a checkpoint made on the same data and splits.

    Returns
    -------
    evaluations : list of (dict, list of dict, float)
        Each evaluated candidate, its per-fold results and its propose time;
        empty when there is no file at ``path``.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        return []
    try:
        with open(path) as file:
            document = json.load(file)
    except (OSError, ValueError) as error:
        raise ValueError(
            f"checkpoint: {path} is not a checkpoint BayesSearchCV can read "
            f"({type(error).__name__}: {error})"
        ) from None
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise ValueError(f"checkpoint: {path} is not a BayesSearchCV checkpoint")
    if document.get("version") != _VERSION:
        raise ValueError(
            f"checkpoint: {path} has format version {document.get('version')!r}; "
            f"this version of sklearn_hp reads version {_VERSION}"
        )
    saved = document.get("fingerprint", {})
    differing = [
        _PARTS[part] for part in _PARTS if saved.get(part) != fingerprint_[part]
    ]
    if document.get("n_splits") != n_splits:
        differing.append("the number of splits")
    if differing:
        what = " and ".join(differing)
        verb = "differ" if len(differing) > 1 else "differs"
        raise ValueError(
            f"checkpoint: {path} was made by another search: {what} {verb}, so its "
            "scores cannot be mixed with this search's. Use another checkpoint "
            "path, or delete the file to start afresh."
        )
    objects = {}
    for subspace in subspaces:
        for hyperparameter in subspace.hyperparameters:
            for value in hyperparameter.values or []:
                objects[_value_key(value)] = value
        for value in subspace.constants.values():
            objects[_value_key(value)] = value
    evaluations = []
    for evaluation in document["evaluations"]:
        params = {
            name: _decode(value, objects)
            for name, value in evaluation["params"].items()
        }
        folds = [
            {k: _decode(v, objects) for k, v in fold.items()}
            for fold in evaluation["folds"]
        ]
        evaluations.append((params, folds, _decode(evaluation["propose_time"], {})))
    return evaluations


class Checkpoint:
    """The checkpoint file of one search: where it is and what it must match.

    Parameters
    ----------
    path : str or path-like
        The JSON file.
    fingerprint : dict
        What the search's scores depend on (see :func:`fingerprint`).
    n_splits : int
        The search's number of splits.
    subspaces : list of SubSpace
        The search space, in which saved objects are found again.
    """

    def __init__(self, path, fingerprint, n_splits, subspaces):
        self.path = path
        self.fingerprint = fingerprint
        self.n_splits = n_splits
        self.subspaces = subspaces

    def load(self):
        """Return the saved evaluations (see :func:`load`); [] without a file."""
        return load(self.path, self.fingerprint, self.n_splits, self.subspaces)

    def save(self, candidates, outs, n_splits, propose_times):
        """Write every evaluation so far (see :func:`save`)."""
        save(self.path, self.fingerprint, candidates, outs, n_splits, propose_times)
