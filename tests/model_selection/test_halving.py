import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingRandomSearchCV
from sklearn.svm import SVC

from sklearn_hp import HalvingBayesSearchCV
from sklearn_hp.model_selection._evaluator import SubsampledSplits
from sklearn_hp.model_selection._halving import rungs

X, Y = make_classification(n_samples=600, n_features=8, random_state=0)
SPACE = {"C": (1e-2, 1e3, "log-uniform"), "gamma": (1e-4, 1.0, "log-uniform")}


def test_rungs_end_on_the_full_resource():
    assert rungs(12, 1500, 3, 81) == [56, 167, 500, 1500]
    # no more rungs than the candidates can fill, factor of them on the last
    assert rungs(12, 1500, 3, 27) == [167, 500, 1500]
    assert rungs(12, 1500, 3, 10) == [500, 1500]
    assert rungs(12, 1500, 3, 3) == [1500]
    # nor than the resources allow
    assert rungs(400, 1500, 3, 81) == [500, 1500]
    assert rungs(10, 10, 3, 9) == [10]


def test_subsampled_splits_are_the_same_for_every_candidate():
    splits = [(np.arange(0, 80), np.arange(80, 100))]
    subsampled = SubsampledSplits(splits, 0.5, random_state=3)
    first, again = list(subsampled.split()), list(subsampled.split())
    np.testing.assert_array_equal(first[0][0], again[0][0])
    assert len(first[0][0]) == 40
    assert len(first[0][1]) == 10
    assert set(first[0][0]) <= set(splits[0][0])


def test_samples_as_resource_gives_halving_cv_results():
    search = HalvingBayesSearchCV(
        SVC(), SPACE, n_candidates=9, cv=3, random_state=0, return_train_score=False
    ).fit(X, Y)
    expected = HalvingRandomSearchCV(
        SVC(),
        {"C": [1.0, 10.0], "gamma": [0.1, 1.0]},
        n_candidates=4,
        cv=3,
        return_train_score=False,
    ).fit(X, Y)
    assert set(expected.cv_results_) - {"param_C", "param_gamma"} <= (
        set(search.cv_results_)
    )
    results = pd.DataFrame(search.cv_results_)
    assert search.n_resources_ == [200, 600]
    assert search.n_candidates_ == [9, 3]
    assert results.groupby("iter")["n_resources"].unique().map(len).eq(1).all()
    # the best candidate is the one of the last rung, on all the samples
    assert results.loc[search.best_index_, "n_resources"] == 600
    assert search.best_estimator_.get_params()["C"] == search.best_params_["C"]
    # promoted candidates are started ones, evaluated again on more samples
    started = {repr(sorted(p.items())) for p in results[results.iter == 0].params}
    promoted = {repr(sorted(p.items())) for p in results[results.iter > 0].params}
    assert promoted <= started


def test_hyperparameter_as_resource():
    search = HalvingBayesSearchCV(
        RandomForestClassifier(random_state=0),
        {"max_depth": (2, 12), "max_features": (0.2, 1.0)},
        n_candidates=9,
        cv=3,
        random_state=0,
        resource="n_estimators",
        min_resources=5,
        max_resources=45,
    ).fit(X, Y)
    assert search.n_resources_ == [15, 45]
    estimators = {p["n_estimators"] for p in search.cv_results_["params"]}
    assert estimators == {15, 45}
    assert search.best_params_["n_estimators"] == 45


def test_a_derived_space_leaves_the_resource_to_the_schedule():
    # the curated space of a random forest searches n_estimators
    search = HalvingBayesSearchCV(
        RandomForestClassifier(random_state=0),
        n_candidates=9,
        cv=3,
        random_state=0,
        resource="n_estimators",
        min_resources=5,
        max_resources=15,
    ).fit(X, Y)
    assert search.n_resources_ == [5, 15]
    params = pd.DataFrame(list(search.cv_results_["params"]))
    assert set(params.n_estimators) == {5, 15}
    assert params.shape[1] > 1


def test_the_surrogate_learns_from_every_rung():
    search = HalvingBayesSearchCV(
        SVC(), SPACE, n_candidates=9, cv=3, random_state=0, return_train_score=False
    ).fit(X, Y)
    result = search.optimizer_results_[0]
    # every evaluation, on every rung, was told with its resource
    assert len(result.x_iters) == len(search.cv_results_["params"])
    assert {x[-1] for x in result.x_iters} == {200.0, 600.0}


@pytest.mark.parametrize("n_points", [1, 4])
def test_the_best_of_each_rung_go_up_as_synchronous_halving_sends_them(n_points):
    # promotions are made as soon as they are sure, never on a partial ranking
    search = HalvingBayesSearchCV(
        SVC(),
        SPACE,
        n_candidates=27,
        n_points=n_points,
        cv=3,
        random_state=0,
        min_resources=20,
    ).fit(X, Y)
    results = pd.DataFrame(search.cv_results_)
    results["key"] = results.params.map(lambda p: repr(sorted(p.items())))
    assert search.n_candidates_ == [27, 9, 3]
    for rung in (0, 1):
        ranked = results[results.iter == rung].sort_values(
            "mean_test_score", ascending=False, kind="stable"
        )
        best = set(ranked.key[: len(ranked) // 3])
        assert set(results[results.iter == rung + 1].key) == best
    # and the first go up before the rung is done, teaching the surrogate
    first_promoted = results.index[results.iter == 1].min()
    assert first_promoted < results.index[results.iter == 0].max()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"resource": "n_trees"}, "is neither 'n_samples' nor a hyperparameter"),
        ({"resource": "C"}, "is the resource, so it cannot be searched too"),
        ({"resource": "max_iter"}, "max_resources: give the full value"),
    ],
)
def test_bad_resources_are_reported(kwargs, message):
    with pytest.raises(ValueError, match=message):
        HalvingBayesSearchCV(SVC(), SPACE, n_candidates=3, cv=3, **kwargs).fit(X, Y)


@pytest.mark.parametrize(
    "argument", ["search_spaces", "param_grid", "param_distributions"]
)
@pytest.mark.parametrize(
    ("space", "message"),
    [
        ([SPACE, SPACE], "takes one dict of hyperparameters to search, not a list"),
        ({}, "needs a hyperparameter to search; the space is empty"),
        ({"C": [1.0]}, "needs a hyperparameter with more than one value"),
    ],
)
def test_space_it_cannot_search_is_refused_naming_its_argument(
    argument, space, message
):
    search = HalvingBayesSearchCV(SVC(), n_candidates=3, cv=3, **{argument: space})
    with pytest.raises(
        ValueError, match=f"^{argument}: a multi-fidelity search {message}"
    ):
        search.fit(X, Y)
