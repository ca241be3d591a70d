"""BayesSearchCV on a dask.distributed cluster, through joblib's dask backend."""

import json
import os
import signal
import threading
import time

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from sklearn_hp import BayesSearchCV

distributed = pytest.importorskip("distributed")

X, Y = make_classification(n_samples=200, n_features=8, random_state=0)
SPACE = {"C": (0.01, 10.0, "log-uniform"), "fit_intercept": [True, False]}


def _cluster():
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
        silence_logs=50,
    )


@pytest.fixture(scope="module")
def client():
    with _cluster() as cluster, distributed.Client(cluster) as client:
        yield client


def _search(**kwargs):
    return BayesSearchCV(
        LogisticRegression(),
        SPACE,
        n_iter=8,
        cv=3,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 4},
        **kwargs,
    )


def test_a_search_on_a_cluster_equals_a_local_run(client):
    local = _search(n_points=2).fit(X, Y)
    with joblib.parallel_config(backend="dask"):
        remote = _search(n_points=2, n_jobs=-1).fit(X, Y)
    assert remote.cv_results_["params"] == local.cv_results_["params"]
    np.testing.assert_allclose(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    assert remote.best_params_ == local.best_params_


def test_n_points_auto_keeps_the_cluster_workers_busy(client):
    with joblib.parallel_config(backend="dask"):
        assert joblib.effective_n_jobs(-1) == 2
        search = _search(n_jobs=-1)
        search.n_splits_ = 1
        assert search._resolved_n_points() == 2
        search.fit(X, Y)
    assert len(search.cv_results_["params"]) == 8


def test_a_worker_killed_mid_search_loses_nothing_that_finished(tmp_path):
    path = tmp_path / "search.json"
    search = BayesSearchCV(
        RandomForestClassifier(n_estimators=60, random_state=0),
        {"max_depth": (2, 12), "min_samples_leaf": (1, 20)},
        n_iter=12,
        n_points=2,
        n_jobs=-1,
        cv=3,
        random_state=0,
        checkpoint=path,
        optimizer_kwargs={"n_initial_points": 4},
    )
    outcome = {}

    def run():
        try:
            with joblib.parallel_config(backend="dask"):
                search.fit(X, Y)
            outcome["finished"] = True
        except Exception as error:  # the test looks at what was raised
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    with _cluster() as cluster, distributed.Client(cluster) as client:
        thread.start()
        deadline = time.monotonic() + 120
        while _saved(path) < 2:
            assert thread.is_alive(), outcome
            assert time.monotonic() < deadline, "no evaluation was saved"
            time.sleep(0.05)
        victim = next(iter(client.run(os.getpid).values()))
        os.kill(victim, signal.SIGKILL)
        # dask may hand the lost fits to the other worker and finish, or it may
        # lose track of them (joblib's dask backend then waits for ever): the
        # user's way out is to shut the client down, which fails the search.
        thread.join(timeout=90)
    # leaving the block closed the client and the cluster
    thread.join(timeout=120)
    saved = _saved(path)
    assert saved >= 2
    if thread.is_alive():
        # joblib's dask backend sends a batch's arguments from a coroutine;
        # when that fails on the dead worker's connection, the batch's future
        # is never resolved and Parallel waits for it, even once the client
        # is closed. The checkpoint has kept what finished (checked above).
        pytest.xfail("joblib's dask backend lost a batch whose submission failed")
    if "finished" in outcome:
        # dask gave the lost fits to the other worker
        assert len(search.cv_results_["params"]) == 12
        assert saved == 12
    else:
        # or the search failed with dask's error, keeping what finished
        assert "error" in outcome
        assert len(search.cv_results_["params"]) == saved


def _saved(path):
    try:
        return len(json.loads(path.read_text())["evaluations"])
    except (OSError, ValueError, KeyError):
        return 0
