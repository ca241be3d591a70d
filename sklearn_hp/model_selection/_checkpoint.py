"""Checkpoints of a search: every finished fit, appended as one JSON line.

A checkpoint is a JSON Lines file. Its first line says what the scores
depend on (a fingerprint of the data, the cross-validation splits, the
estimator and the scoring) and how the search proposes candidates (its
*plan*: the search space, ``n_iter``, ``n_points``, ``random_state``...).
Then come two kinds of records, each one line, written and flushed to the
disk as soon as it is known: a candidate (its hyperparameters, when it is
proposed) and a fold (``_fit_and_score``'s result for one candidate on one
split, when that fit ends). Saving costs the same for the thousandth fit as
for the first, and a search killed at any moment, even by ``SIGKILL``, loses
only the fits that were running. A last line cut short by the kill is
dropped on resume, with a warning.

Nothing is pickled: values are numbers (complex ones too), strings,
booleans, None and tuples, lists and dicts of those; any other value (an
estimator searched as a step) is saved as its identity and found again in
the search space on resume. A space with a value that has neither form is
refused, naming its hyperparameter, before the file is created.

On resume, a search with the same plan and a fixed ``random_state`` is
replayed: it proposes the same candidates in the same order, and every fit
the checkpoint holds is taken from it instead of being run again, so the
resumed search ends with the ``cv_results_`` of a search never interrupted.
Any other search (a larger ``n_iter``, no ``random_state``) takes the saved
candidates as its first ones, as they are. What is not here: when fits run
(the evaluator) and what is proposed (the schedule).

An open checkpoint is locked: a second search given the same file while the
first runs is refused, so two searches never interleave their lines.
"""

import json
import math
import os
import tempfile
import warnings

import joblib
import numpy as np

from ._space import _value_key

_FORMAT = "sklearn_hp.BayesSearchCV checkpoint"
# 1: one JSON document rewritten after every batch; 2: JSON Lines, appended.
_VERSION = 2
_PARTS = {
    "data": "the data (X, y and the fit parameters)",
    "splits": "the cross-validation splits",
    "estimator": "the estimator",
    "scoring": "the scoring",
}
# What a fold's result holds at least.
_FOLD_KEYS = {"test_scores", "n_test_samples", "fit_time", "score_time", "fit_error"}


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
    if isinstance(value, complex | np.complexfloating):
        value = complex(value)
        return {"complex": [_encode(value.real), _encode(value.imag)]}
    if isinstance(value, dict):
        return {"dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return {"object": list(_identity(value)), "repr": repr(value)[:200]}


def _identity(value):
    """Return the identity a value is saved as, and found again by.

    Its key in the search space (see ``_space._value_key``), but for a
    number JSON cannot hold (a ``Decimal``), whose key holds the number
    itself: the hash of its pickle instead.
    """
    key = _value_key(value)
    if key[0] != "object" and not isinstance(key[1], str | int | float | bool):
        key = ("object", joblib.hash(value))
    return key


def _decode(value, objects):
    if isinstance(value, list):
        return [_decode(v, objects) for v in value]
    if not isinstance(value, dict):
        return value
    if "float" in value:
        return float(value["float"])
    if "complex" in value:
        real, imag = value["complex"]
        return complex(_decode(real, objects), _decode(imag, objects))
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


def candidate_key(params):
    """Return the text that identifies a candidate in a checkpoint.

    Raises
    ------
    TypeError
        Naming the hyperparameter whose value cannot be saved.
    """
    encoded = {name: _saveable(name, value) for name, value in params.items()}
    return json.dumps(encoded, sort_keys=True, allow_nan=False)


def _saveable(name, value):
    """Return ``value`` encoded, or refuse it naming its hyperparameter."""
    try:
        encoded = _encode(value)
        json.dumps(encoded, allow_nan=False)
    except Exception as error:
        raise TypeError(
            f"checkpoint: the value {value!r:.80} of {name!r} cannot be saved "
            f"({type(error).__name__}: {error}); it has no JSON form and no "
            "identity to be found again by in the search space. Search it "
            "without a checkpoint, or give the value in a form that has one"
        ) from None
    return encoded


class CheckpointFileError(ValueError):
    """A file that is not a checkpoint this version can read."""


class _Saved:
    """One candidate of a checkpoint: its hyperparameters and folds so far."""

    def __init__(self, encoded_params, propose_time):
        self.encoded_params = encoded_params
        self.propose_time = propose_time
        self.folds = {}


def read(path):
    """Read a checkpoint file: its header and its candidates, in order.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    header : dict
        ``format``, ``version``, ``fingerprint``, ``plan`` and ``n_splits``.
    candidates : list of _Saved
        Each candidate recorded, with the folds recorded of it.
    size : int
        The bytes those lines take, from the start of the file.

    Raises
    ------
    CheckpointFileError
        When the file is not a checkpoint, is of another format version, or
        holds a record that is not well formed (edited by hand): the message
        names the file, the line and what is wrong.
    """
    path = os.fspath(path)
    with open(path, "rb") as file:
        content = file.read()
    lines = content.split(b"\n")
    torn = lines.pop()  # after the last newline: empty, or a torn last record
    if not lines:
        # one line and no newline: a version 1 checkpoint (one JSON document),
        # or a header cut short
        document = _parse(path, 1, torn) if torn.strip() else {}
        if document.get("version") == 1 and "evaluations" in document:
            header, candidates = _read_version_1(path, document)
            return header, candidates, len(content)
        _check_header(path, document)
        lines, torn = [torn], b""
    header = _parse(path, 1, lines[0])
    _check_header(path, header)
    candidates = {}
    size = len(lines[0]) + 1
    for number, line in enumerate(lines[1:], start=2):
        record = _parse(path, number, line)
        _add(path, number, record, candidates, header["n_splits"])
        size += len(line) + 1
    if torn:
        warnings.warn(
            f"checkpoint: the last line of {path} was cut short (the search was "
            f"killed while writing it) and is ignored; the {len(lines)} complete "
            "records before it are kept",
            UserWarning,
            stacklevel=3,
        )
    return header, list(candidates.values()), size


def _parse(path, number, line):
    """Return the JSON object on line ``number``, or refuse the file."""
    try:
        record = json.loads(line)
    except ValueError as error:
        raise CheckpointFileError(
            f"checkpoint: {path} is not a checkpoint BayesSearchCV can read: "
            f"line {number} is not JSON ({error})"
        ) from None
    if not isinstance(record, dict):
        raise CheckpointFileError(
            f"checkpoint: {path} is not a checkpoint BayesSearchCV can read: "
            f"line {number} is not a JSON object"
        )
    return record


def _check_header(path, header):
    if header.get("format") != _FORMAT:
        raise CheckpointFileError(
            f"checkpoint: {path} is not a BayesSearchCV checkpoint (its first line "
            "does not say so); use another checkpoint path"
        )
    version = header.get("version")
    if version != _VERSION:
        raise CheckpointFileError(
            f"checkpoint: {path} has format version {version!r}; this version of "
            f"sklearn_hp reads versions 1 and {_VERSION}. Use the sklearn_hp "
            "release that wrote it, or another checkpoint path to start afresh"
        )
    fingerprint_ = header.get("fingerprint")
    n_splits = header.get("n_splits")
    if (
        not isinstance(fingerprint_, dict)
        or not all(isinstance(fingerprint_.get(part), str) for part in _PARTS)
        or not isinstance(n_splits, int)
        or isinstance(n_splits, bool)
        or n_splits < 1
        or not isinstance(header.get("plan"), str)
    ):
        raise CheckpointFileError(
            f"checkpoint: {path}: line 1 is not a well-formed checkpoint header "
            "(fingerprint, plan and n_splits); the file was edited or damaged"
        )


def _add(path, number, record, candidates, n_splits):
    """Add a candidate or fold record to ``candidates``, or refuse the file."""

    def refuse(what):
        raise CheckpointFileError(
            f"checkpoint: {path}: line {number} {what}; the file was edited or "
            "damaged. Delete it, or use another checkpoint path, to start afresh"
        )

    index = record.get("candidate")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        refuse("has no candidate number")
    if "params" in record:
        if set(record) != {"candidate", "params", "propose_time"}:
            refuse("is not a candidate record")
        if not isinstance(record["params"], dict) or index in candidates:
            refuse("is not a new candidate's hyperparameters")
        propose_time = record["propose_time"]
        if propose_time is not None and not isinstance(propose_time, int | float):
            refuse("has a propose time that is not a number")
        candidates[index] = _Saved(record["params"], propose_time)
        return
    if set(record) != {"candidate", "fold", "out"}:
        refuse("is neither a candidate nor a fold record")
    fold, out = record["fold"], record["out"]
    if index not in candidates:
        refuse(f"is a fold of candidate {index}, which no line before names")
    if not isinstance(fold, int) or isinstance(fold, bool) or not 0 <= fold < n_splits:
        refuse(f"has fold {fold!r}, not one of the {n_splits} splits")
    if not isinstance(out, dict) or not set(out) >= _FOLD_KEYS:
        refuse("is not a fold's result")
    candidates[index].folds[fold] = out


def _read_version_1(path, document):
    """Return a version 1 checkpoint (one JSON document) as version 2's parts."""
    try:
        header = {
            "format": document["format"],
            "version": 1,
            "fingerprint": document["fingerprint"],
            "plan": "",
            "n_splits": document["n_splits"],
        }
        candidates = []
        for evaluation in document["evaluations"]:
            saved = _Saved(evaluation["params"], evaluation["propose_time"])
            saved.folds = dict(enumerate(evaluation["folds"]))
            candidates.append(saved)
    except (KeyError, TypeError) as error:
        raise CheckpointFileError(
            f"checkpoint: {path} is a version 1 checkpoint that is not well "
            f"formed ({type(error).__name__}: {error}); the file was edited or "
            "damaged"
        ) from None
    return header, candidates


def _line(record):
    return (json.dumps(record, allow_nan=False) + "\n").encode()


class Checkpoint:
    """The checkpoint file of one search: read when opened, appended to as fits end.

    Parameters
    ----------
    path : str or path-like
        The JSON Lines file.
    fingerprint : dict
        What the search's scores depend on (see :func:`fingerprint`).
    plan : str
        A hash of how the search proposes candidates; the same plan with a
        fixed random state proposes the same candidates.
    n_splits : int
        The search's number of splits.
    subspaces : list of SubSpace
        The search space, in which saved objects are found again.
    replayable : bool
        Whether a search with the same plan proposes the same candidates
        (a fixed ``random_state``, batches rather than the asynchronous mode).
    """

    def __init__(self, path, fingerprint, plan, n_splits, subspaces, replayable):
        self.path = os.fspath(path)
        self.fingerprint = fingerprint
        self.plan = plan
        self.n_splits = n_splits
        self.subspaces = subspaces
        self.replayable = replayable
        self.replay = False
        self._created = False
        self._file = None
        self._saved = {}
        self._ids = {}
        self._used = set()
        self._loaded = set()

    # -- opening and closing ----------------------------------------------------

    def open(self):
        """Lock the file and read what it holds; create it when there is none.

        Returns
        -------
        replay : bool
            Whether the search replays the saved fits (same plan, replayable):
            then :meth:`cached` gives them as the search asks for them, and
            :meth:`restored` gives nothing.
        """
        self._check_saveable()
        # created if missing, never truncated before the lock is held
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        self._file = os.fdopen(descriptor, "r+b")
        try:
            _lock(self._file, self.path)
            if os.path.getsize(self.path) == 0:
                self._write_header()
                self._created = True
                return False
            header, candidates, size = read(self.path)
            self._check_fingerprint(header)
            if header["version"] != _VERSION:
                self._rewrite(candidates)
            else:
                # drop a torn last line: the next record starts on a line
                self._file.truncate(size)
                self._file.seek(size)
            for index, saved in enumerate(candidates):
                key = json.dumps(saved.encoded_params, sort_keys=True)
                self._saved[key] = saved
                self._ids[key] = index
            self._loaded = set(self._saved)
            self.replay = self.replayable and header["plan"] == self.plan
            return self.replay
        except BaseException:
            self.close()
            raise

    def close(self):
        """Release the lock and close the file.

        A file this search created and saved nothing to is removed: a search
        refused for its input leaves no checkpoint behind.
        """
        if self._file is not None:
            if self._created and not self._ids:
                os.unlink(self.path)
            _unlock(self._file)
            self._file.close()
            self._file = None

    def _check_fingerprint(self, header):
        saved = header["fingerprint"]
        differing = [
            _PARTS[part] for part in _PARTS if saved.get(part) != self.fingerprint[part]
        ]
        if header["n_splits"] != self.n_splits:
            differing.append("the number of splits")
        if differing:
            what = " and ".join(differing)
            verb = "differ" if len(differing) > 1 else "differs"
            raise ValueError(
                f"checkpoint: {self.path} was made by another search: {what} {verb}, "
                "so its scores cannot be mixed with this search's. Use another "
                "checkpoint path, or delete the file to start afresh."
            )

    def _write_header(self):
        self._append(
            {
                "format": _FORMAT,
                "version": _VERSION,
                "fingerprint": self.fingerprint,
                "plan": self.plan,
                "n_splits": self.n_splits,
            }
        )

    def _rewrite(self, candidates):
        """Write a version 1 checkpoint's candidates anew, in version 2.

        The new file replaces the old one by a rename: a kill while writing
        it leaves the old file, never a mixture.
        """
        directory = os.path.dirname(os.path.abspath(self.path))
        handle, temporary = tempfile.mkstemp(
            dir=directory, prefix=".checkpoint-", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as file:
                self._file, old = file, self._file
                self._write_header()
                for index, saved in enumerate(candidates):
                    self._append_candidate(
                        index, saved.encoded_params, saved.propose_time
                    )
                    for fold, out in sorted(saved.folds.items()):
                        self._append({"candidate": index, "fold": fold, "out": out})
                self._file = old
            os.replace(temporary, self.path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        # the lock was on the old file: lock the new one
        _unlock(self._file)
        self._file.close()
        self._file = open(self.path, "r+b")  # noqa: SIM115
        _lock(self._file, self.path)
        self._file.seek(0, os.SEEK_END)

    # -- what the checkpoint holds ----------------------------------------------

    def restored(self):
        """Return the saved candidates a search that does not replay starts from.

        Returns
        -------
        complete : list of (dict, list of dict, float)
            Each candidate with all its folds, its per-fold results and its
            propose time, in the order they were saved.
        partial : list of (dict, float)
            Each candidate with some of its folds saved: evaluated first, its
            saved folds taken from :meth:`cached`.
        """
        if self.replay:
            return [], []
        objects = self._objects()
        complete, partial = [], []
        for saved in self._saved.values():
            params = {
                name: _decode(value, objects)
                for name, value in saved.encoded_params.items()
            }
            propose_time = _decode(saved.propose_time, {})
            if len(saved.folds) == self.n_splits:
                folds = [
                    {k: _decode(v, objects) for k, v in saved.folds[f].items()}
                    for f in range(self.n_splits)
                ]
                complete.append((params, folds, propose_time))
            elif saved.folds:
                partial.append((params, propose_time))
        return complete, partial

    def _space_values(self):
        """Yield (name, value) for each value the search space lists."""
        for subspace in self.subspaces:
            for hyperparameter in subspace.hyperparameters:
                for value in hyperparameter.values or []:
                    yield hyperparameter.name, value
            yield from subspace.constants.items()

    def _check_saveable(self):
        """Refuse, naming it, a value of the space no candidate could be saved with.

        Before the file is created: a search that cannot save its candidates
        leaves no checkpoint behind. Values drawn from ranges are numbers,
        which are always saved.
        """
        for name, value in self._space_values():
            _saveable(name, value)

    def _objects(self):
        return {tuple(_identity(value)): value for _, value in self._space_values()}

    def cached(self, key, fold):
        """Return the saved result of candidate ``key`` on ``fold``, or None."""
        saved = self._saved.get(key)
        if saved is None or fold not in saved.folds:
            return None
        out = saved.folds[fold]
        return {k: _decode(v, {}) for k, v in out.items()}

    def n_unused(self):
        """Return how many candidates the file held that this search did not propose."""
        return len(self._loaded - self._used)

    # -- appending ----------------------------------------------------------------

    def candidate(self, params, propose_time):
        """Record a candidate about to be evaluated; return its key.

        A candidate the checkpoint holds already is not recorded again.
        """
        key = candidate_key(params)
        self._used.add(key)
        if key not in self._ids:
            index = len(self._ids)
            self._ids[key] = index
            self._saved[key] = _Saved(json.loads(key), propose_time)
            self._append_candidate(index, json.loads(key), propose_time)
        return key

    def fold(self, key, fold, out):
        """Append the result of candidate ``key`` on ``fold``, unless it is saved."""
        saved = self._saved[key]
        if fold in saved.folds:
            return
        encoded = {k: _encode(v) for k, v in out.items() if k != "estimator"}
        saved.folds[fold] = encoded
        self._append({"candidate": self._ids[key], "fold": fold, "out": encoded})

    def _append_candidate(self, index, encoded_params, propose_time):
        self._append(
            {
                "candidate": index,
                "params": encoded_params,
                "propose_time": _encode(propose_time),
            }
        )

    def _append(self, record):
        self._file.write(_line(record))
        self._file.flush()
        os.fsync(self._file.fileno())


def _lock(file, path):
    """Lock ``file`` for this process, or refuse: another search is writing it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            _refuse_locked(path)
        return
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        _refuse_locked(path)


def _unlock(file):
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            file.seek(0)
            msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    fcntl.flock(file.fileno(), fcntl.LOCK_UN)


def _refuse_locked(path):
    raise RuntimeError(
        f"checkpoint: {path} is being written by another search that is still "
        "running; two searches cannot share a checkpoint. Wait for it to end, "
        "or give this search another checkpoint path"
    )
