"""The asynchronous mode: every candidate once, recorded as it finishes."""

import json
import threading
import time
from itertools import pairwise

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import make_classification
from sklearn.svm import SVC

from sklearn_hp import BayesSearchCV
from sklearn_hp.model_selection import _asynchronous as asynchronous_module
from sklearn_hp.model_selection._asynchronous import supported

needs_joblib_1_4 = pytest.mark.skipif(
    not supported(), reason="joblib < 1.4 does not yield results as they finish"
)

X, Y = make_classification(n_samples=80, n_features=5, random_state=0)
SPACE = {"C": (0.01, 10.0, "log-uniform"), "kernel": ["rbf", "linear"]}


class _Sleeper(RegressorMixin, BaseEstimator):
    """Sleeps ``0.01 * 10**slowness`` s per fit; logs each fit's start and end."""

    log = []
    lock = threading.Lock()

    def __init__(self, slowness=0.5):
        self.slowness = slowness

    def fit(self, X, y):
        start = time.perf_counter()
        time.sleep(0.01 * 10**self.slowness)
        with self.lock:
            self.log.append((self.slowness, start, time.perf_counter()))
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y, sample_weight=None):
        return -((self.slowness - 0.3) ** 2)


@needs_joblib_1_4
def test_every_candidate_is_evaluated_once_on_process_workers(tmp_path):
    path = tmp_path / "search.json"
    search = BayesSearchCV(
        SVC(),
        SPACE,
        n_iter=10,
        cv=3,
        n_jobs=2,
        random_state=0,
        asynchronous=True,
        checkpoint=path,
    ).fit(X, Y)
    params = search.cv_results_["params"]
    assert len(params) == 10
    assert len({tuple(sorted(p.items())) for p in params}) == 10
    # one candidate recorded at a time, in the order they finished
    np.testing.assert_array_equal(search.search_info_["batch"], np.arange(10))
    best = int(np.argmax(search.cv_results_["mean_test_score"]))
    assert search.best_params_ == params[best]
    assert len(json.loads(path.read_text())["evaluations"]) == 10


@needs_joblib_1_4
def test_a_worker_free_starts_the_next_candidate_while_others_fit():
    _Sleeper.log.clear()
    with parallel_config(backend="threading"):
        search = BayesSearchCV(
            _Sleeper(),
            {"slowness": (0.0, 1.0)},
            n_iter=6,
            cv=5,
            n_jobs=2,
            random_state=0,
            asynchronous=True,
        ).fit(np.zeros((20, 1)), np.zeros(20))
    assert len(search.cv_results_["params"]) == 6
    fits = {}
    for slowness, start, end in _Sleeper.log[:-1]:  # the last is the refit
        fits.setdefault(slowness, []).append((start, end))
    assert sorted(len(folds) for folds in fits.values()) == [5] * 6
    # 5 folds on 2 workers: some candidate starts before an earlier one ends
    spans = sorted((min(s for s, _ in f), max(e for _, e in f)) for f in fits.values())
    assert any(later[0] < earlier[1] for earlier, later in pairwise(spans))


@needs_joblib_1_4
def test_a_callback_stops_the_proposals_and_keeps_what_finished():
    def stop_after_three(result):
        return len(result.x_iters) >= 3

    search = BayesSearchCV(
        SVC(),
        SPACE,
        n_iter=10,
        cv=3,
        random_state=0,
        asynchronous=True,
        callbacks=[stop_after_three],
    ).fit(X, Y)
    assert len(search.cv_results_["params"]) == 3


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"racing": True}, "racing"),
        ({"n_points": 4}, "n_points"),
    ],
)
def test_what_the_asynchronous_mode_does_not_do_is_refused(
    settings, message, monkeypatch
):
    # refused before joblib's version is looked at
    monkeypatch.setattr(asynchronous_module, "supported", lambda: True)
    search = BayesSearchCV(SVC(), SPACE, n_iter=4, cv=3, asynchronous=True, **settings)
    with pytest.raises(ValueError, match=message):
        search.fit(X, Y)


def test_an_old_joblib_is_named_in_the_refusal(monkeypatch):
    monkeypatch.setattr(asynchronous_module.joblib, "__version__", "1.3.2")
    search = BayesSearchCV(SVC(), SPACE, n_iter=4, cv=3, asynchronous=True)
    with pytest.raises(ValueError, match=r"joblib >= 1.4.*1\.3\.2"):
        search.fit(X, Y)
