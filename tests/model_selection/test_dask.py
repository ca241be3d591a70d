"""BayesSearchCV on a dask.distributed cluster, through joblib's dask backend."""

import os
import re
import signal
import threading
import time
import uuid

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.svm import LinearSVC

from sklearn_hp import BayesSearchCV
from sklearn_hp.model_selection import _asynchronous as asynchronous_module
from sklearn_hp.model_selection._distributed import ClusterLostFits, cluster_runner
from tests._doubles import saved_evaluations

dask = pytest.importorskip("dask")
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


def _checkpointed_search(path, asynchronous=False):
    return BayesSearchCV(
        RandomForestClassifier(n_estimators=60, random_state=0),
        {"max_depth": (2, 12), "min_samples_leaf": (1, 20)},
        n_iter=12,
        n_points="auto" if asynchronous else 2,
        n_jobs=-1,
        cv=3,
        random_state=0,
        checkpoint=path,
        optimizer_kwargs={"n_initial_points": 4},
        asynchronous=asynchronous,
    )


def _run_in_thread(search, outcome):
    def run():
        try:
            with joblib.parallel_config(backend="dask"):
                search.fit(X, Y)
            outcome["finished"] = True
        except Exception as error:  # the test looks at what was raised
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _wait_for_saved(path, thread, outcome, n_saved=2):
    deadline = time.monotonic() + 120
    while _saved(path) < n_saved:
        assert thread.is_alive(), outcome
        assert time.monotonic() < deadline, "no evaluation was saved"
        time.sleep(0.05)


@pytest.mark.parametrize("allowed_failures", [3, 0])
def test_a_worker_killed_mid_search_finishes_or_fails_clearly(
    tmp_path, allowed_failures
):
    # With retries allowed, the scheduler reruns the killed worker's fits on
    # the other worker; with none, it gives up on them at once (if the worker
    # was running one): either way the search ends and loses nothing saved.
    # Dask's active memory manager, on by default, may have dropped the other
    # worker's copy of the data: the search sends it again.
    path = tmp_path / "search.json"
    search, outcome = _checkpointed_search(path), {}
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}),
        _cluster() as cluster,
        distributed.Client(cluster) as client,
    ):
        thread = _run_in_thread(search, outcome)
        _wait_for_saved(path, thread, outcome)
        victim = next(iter(client.run(os.getpid).values()))
        os.kill(victim, signal.SIGKILL)
        thread.join(timeout=120)
        assert not thread.is_alive(), "the search hangs"
    saved = _saved(path)
    if allowed_failures:
        assert "finished" in outcome, outcome
    if "finished" in outcome:
        assert len(search.cv_results_["params"]) == 12
        assert saved == 12
    else:
        error = outcome["error"]
        assert isinstance(error, RuntimeError)
        # dask gives up on the fits the killed worker was running
        assert re.search(r"lost fits \(KilledWorker", str(error))
        assert "fit again with the same checkpoint" in str(error)
        assert saved >= 2
        assert len(search.cv_results_["params"]) == saved


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_client_closed_mid_search_ends_it_with_a_clear_error(tmp_path, asynchronous):
    path = tmp_path / "search.json"
    search, outcome = _checkpointed_search(path, asynchronous), {}
    with _cluster() as cluster:
        client = distributed.Client(cluster)
        thread = _run_in_thread(search, outcome)
        _wait_for_saved(path, thread, outcome)
        client.close()
        thread.join(timeout=60)
        assert not thread.is_alive(), "the search hangs"
    error = outcome["error"]
    assert isinstance(error, RuntimeError)
    assert "The dask cluster lost fits" in str(error)
    assert "fit again with the same checkpoint" in str(error)
    saved = _saved(path)
    assert 2 <= saved < 12
    assert len(search.cv_results_["params"]) == saved
    # resumed here, on joblib's processes: asynchronously if joblib can
    resumed = _checkpointed_search(
        path, asynchronous and asynchronous_module.supported()
    ).fit(X, Y)
    assert len(resumed.cv_results_["params"]) == 12


def test_fits_sent_after_the_client_closed_are_reported_as_lost():
    # The client can close between two batches of fits: whatever dask raises
    # then (sending to a closed client, or finding no client) is a lost fit.
    with _cluster() as cluster:
        client = distributed.Client(cluster)
        with joblib.parallel_config(backend="dask", client=client):
            runner = cluster_runner(shared=[X])
        assert runner.client is client
        assert runner([(np.sum, (X,), {})]) == [np.sum(X)]
        client.close()
        with pytest.raises(ClusterLostFits, match="Closed"):
            runner([(np.sum, (X,), {})])


def _wait_for_event(name):
    distributed.Event(name).wait()


def _data_keys(client):
    return {key for key in client.futures if str(key).startswith("ndarray-")}


def _cancel(client, keys):
    client.cancel([distributed.Future(key, client) for key in keys])


def _until(condition):
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "the cluster did not get there"
        time.sleep(0.02)


def test_fits_cancelled_with_the_data_run_again_on_the_data_sent_again(client):
    # A worker that dies with the data's last copy (dask's memory manager keeps
    # one copy of what it deems extra) makes dask cancel the fits that need
    # it; cancelling the data does the same on purpose. The fits wait in the
    # queue behind two tasks that keep both workers busy.
    before = _data_keys(client)
    with joblib.parallel_config(backend="dask", client=client):
        runner = cluster_runner(shared=[X])
    assert runner([(np.sum, (X,), {})]) == [np.sum(X)]
    data = _data_keys(client) - before
    assert len(data) == 1
    event = f"go-{uuid.uuid4()}"
    busy = [client.submit(_wait_for_event, event, pure=False) for _ in range(2)]
    _until(lambda: sum(map(len, client.processing().values())) == 2)
    calls = [(np.sum, (X,), {}), (np.max, (X,), {}), (np.min, (X,), {})]
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(results=runner(calls)))
    thread.start()
    _until(lambda: sum(map(len, client.processing().values())) == 5)
    _cancel(client, data)
    _until(lambda: not (_data_keys(client) & data))
    distributed.Event(event).set()
    thread.join(timeout=60)
    assert outcome["results"] == [np.sum(X), np.max(X), np.min(X)]
    assert len(_data_keys(client) - before) == 1  # sent again, once
    assert client.gather(busy) == [None, None]


@pytest.mark.parametrize("max_resends", [0, 1])
def test_data_lost_more_often_than_allowed_stops_the_fits(client, max_resends):
    before = _data_keys(client)
    with joblib.parallel_config(backend="dask", client=client):
        runner = cluster_runner(shared=[X])
    runner.max_resends = max_resends
    assert runner([(np.sum, (X,), {})]) == [np.sum(X)]
    _cancel(client, _data_keys(client) - before)
    if max_resends:
        assert runner([(np.max, (X,), {})]) == [np.max(X)]
    else:
        with pytest.raises(ClusterLostFits, match=r"sent again 0 times already"):
            runner([(np.max, (X,), {})])


def _saved(path):
    return len(saved_evaluations(path))


def test_nested_cross_validation_on_a_cluster_equals_a_local_run(client):
    # The inner searches run inside dask tasks and send their own fits to the
    # cluster from there.
    search = _search(n_jobs=-1)
    local = cross_validate(search, X, Y, cv=2, return_estimator=True)
    with joblib.parallel_config(backend="dask"):
        remote = cross_validate(search, X, Y, cv=2, n_jobs=-1, return_estimator=True)
    np.testing.assert_allclose(remote["test_score"], local["test_score"])
    for inner, expected in zip(remote["estimator"], local["estimator"]):
        assert inner.best_params_ == expected.best_params_


@pytest.mark.filterwarnings("ignore:One or more of the test scores:UserWarning")
def test_failing_fits_on_a_cluster_are_reported_as_in_a_local_run(client):
    # LinearSVC refuses these combinations of penalty and loss when fitted.
    search = BayesSearchCV(
        LinearSVC(dual=True),
        {"penalty": ["l1", "l2"], "loss": ["hinge", "squared_hinge"]},
        n_iter=4,
        cv=3,
        random_state=0,
        n_jobs=-1,
    )
    with pytest.warns(FitFailedWarning):
        local = clone(search).fit(X, Y)
    with joblib.parallel_config(backend="dask"), pytest.warns(FitFailedWarning):
        remote = clone(search).fit(X, Y)
    np.testing.assert_array_equal(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    with (
        joblib.parallel_config(backend="dask"),
        pytest.raises(ValueError, match="Unsupported set of arguments"),
    ):
        clone(search).set_params(error_score="raise").fit(X, Y)


def test_the_asynchronous_mode_on_a_cluster_scores_every_candidate_once(
    client, monkeypatch, tmp_path
):
    # the client hands results back as they finish: joblib's version is moot
    monkeypatch.setattr(asynchronous_module.joblib, "__version__", "1.3.2")
    path = tmp_path / "search.json"
    with joblib.parallel_config(backend="dask"):
        search = _search(n_jobs=-1, asynchronous=True, checkpoint=path).fit(X, Y)
    results = search.cv_results_
    assert len(results["params"]) == 8
    assert len({tuple(sorted(p.items())) for p in results["params"]}) == 8
    np.testing.assert_array_equal(search.search_info_["batch"], np.arange(8))
    for index, params in enumerate(results["params"]):
        expected = cross_validate(LogisticRegression(**params), X, Y, cv=3)
        np.testing.assert_allclose(
            [results[f"split{k}_test_score"][index] for k in range(3)],
            expected["test_score"],
        )
    assert _saved(path) == 8
