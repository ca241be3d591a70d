"""The asynchronous mode: every candidate once, recorded as it finishes."""

import sys
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
from sklearn_hp.utils._sklearn_compat import HAS_CALLBACK_CONTEXTS
from tests._doubles import (
    CallbackRecorder,
    NoisyScore,
    saved_evaluations,
    search_killed_after,
    slow_classifier,
)

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
    assert len(saved_evaluations(path)) == 10


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


@needs_joblib_1_4
def test_racing_skips_the_folds_of_hopeless_candidates():
    qualities = {"quality": [0.9, 0.1, 0.2, 0.3, 0.95, 0.15]}
    NoisyScore.n_fits = 0
    full = BayesSearchCV(NoisyScore(), qualities, cv=5).fit(X, Y)
    assert NoisyScore.n_fits == 6 * 5 + 1
    NoisyScore.n_fits = 0
    raced = BayesSearchCV(
        NoisyScore(), qualities, cv=5, racing=True, asynchronous=True
    ).fit(X, Y)
    results = raced.cv_results_
    evaluated = results["n_splits_evaluated"]
    assert NoisyScore.n_fits == evaluated.sum() + 1 < 6 * 5 + 1
    for index, params in enumerate(results["params"]):
        splits = [results[f"split{k}_test_score"][index] for k in range(5)]
        if params["quality"] < 0.5:
            # measured on the first folds together, then one at a time
            assert 2 <= evaluated[index] < 5
            assert np.isnan(splits[evaluated[index] :]).all()
            assert np.isnan(results["mean_test_score"][index])
        else:
            assert evaluated[index] == 5
            assert np.isfinite(splits).all()
    assert raced.best_params_ == full.best_params_ == {"quality": 0.95}
    assert raced.best_score_ == pytest.approx(full.best_score_)


@needs_joblib_1_4
def test_racing_on_process_workers_records_every_candidate_once():
    qualities = {"quality": [0.9, 0.1, 0.2, 0.3, 0.95, 0.15, 0.25, 0.05]}
    raced = BayesSearchCV(
        NoisyScore(), qualities, cv=5, n_jobs=2, racing=True, asynchronous=True
    ).fit(X, Y)
    results = raced.cv_results_
    assert sorted(p["quality"] for p in results["params"]) == sorted(
        qualities["quality"]
    )
    # how many are raced depends on how far proposals run ahead of results;
    # whatever was skipped is recorded as skipped
    for index, evaluated in enumerate(results["n_splits_evaluated"]):
        splits = [results[f"split{k}_test_score"][index] for k in range(5)]
        assert np.isfinite(splits[:evaluated]).all()
        assert np.isnan(splits[evaluated:]).all()
    assert raced.best_params_ == {"quality": 0.95}


@pytest.mark.skipif(
    not HAS_CALLBACK_CONTEXTS,
    reason="scikit-learn's callback API is in scikit-learn >= 1.9",
)
@needs_joblib_1_4
def test_scikit_learn_callbacks_see_every_fold():
    from sklearn.callback import ProgressBar  # noqa: F401

    def record(backend):
        recorder = CallbackRecorder()
        search = BayesSearchCV(
            SVC(), SPACE, n_iter=6, cv=3, n_jobs=2, random_state=0, asynchronous=True
        )
        search.set_callbacks(recorder)
        with parallel_config(backend=backend):
            search.fit(X, Y)
        assert len(search.cv_results_["params"]) == 6
        return recorder

    # threads share the recorder: every fold's hooks are seen
    recorder = record("threading")
    assert recorder.begun.count("candidate-split-evaluation") == 6 * 3
    assert recorder.ended.count("candidate-split-evaluation") == 6 * 3
    assert recorder.begun.count("search") == 1
    # processes get a copy of the contexts, made before any was sent: the
    # main process sees the search's own hooks, as with GridSearchCV
    recorder = record("loky")
    assert recorder.begun == ["fit", "search", "refit-with-best-params"]


def test_a_set_batch_size_is_refused(monkeypatch):
    # refused before joblib's version is looked at
    monkeypatch.setattr(asynchronous_module, "supported", lambda: True)
    search = BayesSearchCV(SVC(), SPACE, n_iter=4, cv=3, asynchronous=True, n_points=4)
    with pytest.raises(ValueError, match="leave n_points to 'auto', got 4"):
        search.fit(X, Y)


def test_an_old_joblib_is_named_in_the_refusal(monkeypatch):
    monkeypatch.setattr(asynchronous_module.joblib, "__version__", "1.3.2")
    search = BayesSearchCV(SVC(), SPACE, n_iter=4, cv=3, asynchronous=True)
    with pytest.raises(ValueError, match=r"joblib >= 1.4.*1\.3\.2"):
        search.fit(X, Y)


@needs_joblib_1_4
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_asynchronous_search_leaves_whole_candidates_and_resumes(tmp_path):
    settings = {
        "n_iter": 40,
        "cv": 3,
        "n_jobs": 2,
        "random_state": 0,
        "asynchronous": True,
    }
    path, _, _ = search_killed_after(tmp_path, 5, **settings)
    saved = saved_evaluations(path)
    assert 5 <= len(saved) < 40
    # every candidate saved with all its folds, none twice
    assert all(len(evaluation["folds"]) == 3 for evaluation in saved)
    assert len({evaluation["params"]["C"] for evaluation in saved}) == len(saved)

    with slow_classifier(tmp_path) as SlowClassifier:
        resumed = BayesSearchCV(
            SlowClassifier(),
            {"C": (0.01, 10.0, "log-uniform")},
            checkpoint=path,
            **settings,
        )
        # threads: process workers started by other tests cannot import slow
        with parallel_config(backend="threading"):
            resumed.fit(X, Y)
    results = resumed.cv_results_
    assert len(results["params"]) == 40
    for index, evaluation in enumerate(saved):
        assert results["params"][index]["C"] == evaluation["params"]["C"]
        assert results["split0_test_score"][index] == pytest.approx(
            evaluation["folds"][0]["test_scores"]
        )
    assert len(saved_evaluations(path)) == 40
