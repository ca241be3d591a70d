"""Stand-ins the tests share.

A model of known quality, a callback recorder, a search killed in a process
of its own and its checkpoint read back, and fitted pipelines saved as
``.skops`` files.
"""

import contextlib
import signal
import subprocess
import sys
import time
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


class NoisyScore(ClassifierMixin, BaseEstimator):
    """Scores ``quality`` plus a little fold noise; counts its fits."""

    n_fits = 0

    def __init__(self, quality=0.5):
        self.quality = quality

    def fit(self, X, y):
        type(self).n_fits += 1
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        noise = np.random.RandomState(len(X) + int(X[0, 0] * 1000) % 97).normal()
        return self.quality + 0.01 * noise


class CallbackRecorder:
    """A scikit-learn callback (>= 1.9) that records the tasks begun and ended."""

    def __init__(self):
        self.begun, self.ended = [], []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        self.begun.append(context.task_name)

    def on_fit_task_end(self, estimator, context, **kwargs):
        self.ended.append(context.task_name)


_SLOW_MODULE = """
import time

from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression


class SlowClassifier(ClassifierMixin, BaseEstimator):
    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        time.sleep(0.05)
        self.model_ = LogisticRegression(C=self.C).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)
"""

_KILLED_SCRIPT = """
import sys

from sklearn.datasets import make_classification
from sklearn_hp import BayesSearchCV

sys.path.insert(0, {folder!r})
from slow import SlowClassifier

X, Y = make_classification(n_samples=80, n_features=5, random_state=0)
BayesSearchCV(
    SlowClassifier(),
    {{"C": (0.01, 10.0, "log-uniform")}},
    checkpoint={path!r},
    **{settings!r},
).fit(X, Y)
"""


def saved_evaluations(path):
    """The candidates a checkpoint holds with every fold, or none while unreadable.

    Each as ``{"params": ..., "folds": [...], "propose_time": ...}``, in the
    order they were saved, values as stored.
    """
    from sklearn_hp.model_selection._checkpoint import read

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            header, candidates, _ = read(path)
    except (OSError, ValueError):
        return []
    n_splits = header["n_splits"]
    return [
        {
            "params": saved.encoded_params,
            "folds": [saved.folds[fold] for fold in range(n_splits)],
            "propose_time": saved.propose_time,
        }
        for saved in candidates
        if len(saved.folds) == n_splits
    ]


def search_killed_after(folder, n_saved, sent=signal.SIGKILL, **settings):
    """Run a search of a slow model in a process; signal it once it saved some.

    The search has ``settings`` (``n_iter``, ``cv`` ...) and a checkpoint
    ``folder / "search.json"``; the model is ``SlowClassifier`` of the
    module ``folder / "slow.py"`` (see :func:`slow_classifier`). Once the
    checkpoint holds ``n_saved`` candidates with every fold, the process is
    sent ``sent`` (SIGKILL by default). Returns the checkpoint's path, the
    process's exit status and what it wrote to stderr.
    """
    (folder / "slow.py").write_text(_SLOW_MODULE)
    path = folder / "search.json"
    script = _KILLED_SCRIPT.format(
        folder=str(folder), path=str(path), settings=settings
    )
    # a file, not a pipe: worker processes that outlive a killed search hold
    # their copy of it open
    stderr_path = folder / "stderr.txt"
    with open(stderr_path, "w") as stderr:
        process = subprocess.Popen([sys.executable, "-c", script], stderr=stderr)
    try:
        deadline = time.monotonic() + 120
        while len(saved_evaluations(path)) < n_saved:
            assert process.poll() is None, "the search ended before it was killed"
            assert time.monotonic() < deadline, "no checkpoint was written"
            time.sleep(0.02)
        process.send_signal(sent)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    return path, process.returncode, stderr_path.read_text()


@contextlib.contextmanager
def slow_classifier(folder):
    """Import ``SlowClassifier`` from the module :func:`search_killed_after` wrote."""
    sys.path.insert(0, str(folder))
    try:
        from slow import SlowClassifier

        yield SlowClassifier
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("slow", None)


def skops_pipelines(folder):
    """Save two fitted pipelines as ``.skops`` files in ``folder``.

    Returns ``{"sklearn": (model, path), "ours": (model, path)}``: a scaler
    and a logistic regression, types skops trusts; a scaler and this
    package's ``GradientDescentClassifier``, which skops does not.
    """
    import skops.io
    from sklearn.datasets import load_iris
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_hp import GradientDescentClassifier

    X, y = load_iris(return_X_y=True)
    saved = {}
    for name, last in [
        ("sklearn", LogisticRegression()),
        ("ours", GradientDescentClassifier(max_iter=5, random_state=0)),
    ]:
        model = make_pipeline(StandardScaler(), last)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        path = folder / f"{name}.skops"
        skops.io.dump(model, path)
        saved[name] = (model, path)
    return saved
