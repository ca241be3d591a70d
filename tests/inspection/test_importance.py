"""hyperparameter_importances: a functional ANOVA of any fitted search."""

import re
import warnings

import numpy as np
import pytest
from scipy.stats import loguniform, uniform
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeRegressor

from sklearn_hp import BayesSearchCV, hyperparameter_importances
from sklearn_hp.inspection._importance import _declared_log, _Encoding, _TreeAnova

X_IRIS, Y_IRIS = load_iris(return_X_y=True)


class _Searched:
    """A fitted search as far as the importances see one: its cv_results_."""

    def __init__(self, params, scores, refit=True, **more):
        self.cv_results_ = {"params": params, "mean_test_score": np.asarray(scores)}
        self.cv_results_.update(more)
        self.refit = refit


def _synthetic(n, seed, objective):
    rng = np.random.RandomState(seed)
    params = [
        {
            "alpha": float(10 ** rng.uniform(-4, 2)),
            "depth": int(rng.randint(1, 11)),
            "kind": str(rng.choice(["a", "b", "c"])),
            "inert": float(rng.uniform()),
        }
        for _ in range(n)
    ]
    return _Searched(params, [objective(p) for p in params])


def _known(p):
    # alpha matters on a log scale (0.59 of the variance), depth less (0.28),
    # kind a little (0.13), inert not at all
    return (
        -0.1 * (np.log10(p["alpha"]) + 1) ** 2
        - 0.1 * abs(p["depth"] - 4)
        + {"a": 0.0, "b": 0.3, "c": 0.1}[p["kind"]]
    )


def test_the_relevant_hyperparameters_rank_first_and_the_inert_one_explains_nothing():
    table = hyperparameter_importances(_synthetic(120, 0, _known))
    assert list(table["hyperparameter"][:3]) == ["alpha", "depth", "kind"]
    importance = dict(zip(table["hyperparameter"], table["importance"]))
    assert 0.4 < importance["alpha"] < 0.8
    assert 0.15 < importance["depth"] < 0.4
    assert importance["inert"] < 0.05
    assert (table["importance_low"] <= table["importance"]).all()
    assert (table["importance"] <= table["importance_high"]).all()
    assert 0 <= table.attrs["interactions"][0] <= 1
    assert table.attrs["metric"] == "mean_test_score"


def test_best_value_and_score_range_read_the_best_candidate_and_the_marginal():
    searched = _synthetic(120, 1, _known)
    table = hyperparameter_importances(searched).set_index("hyperparameter")
    best = searched.cv_results_["params"][
        np.argmax(searched.cv_results_["mean_test_score"])
    ]
    for name in best:
        assert table.loc[name, "best_value"] == best[name]
    # alpha moves the score by up to 0.9 over the range of log10(alpha)
    assert table.loc["alpha", "score_range"] > 0.3
    assert table.loc["inert", "score_range"] < table.loc["kind", "score_range"]


def test_a_fixed_random_state_gives_the_same_answer_more_candidates_a_narrower_one():
    small = _synthetic(30, 2, _known)
    first = hyperparameter_importances(small, random_state=3)
    again = hyperparameter_importances(small, random_state=3)
    assert first.equals(again)

    def width(n):
        table = hyperparameter_importances(_synthetic(n, 2, _known)).set_index(
            "hyperparameter"
        )
        return (
            table.loc["alpha", "importance_high"] - table.loc["alpha", "importance_low"]
        )

    assert width(300) < width(30)


def test_a_grid_search_with_sub_spaces_lists_each_hyperparameter_where_it_was_set():
    grid = [
        {"kernel": ["linear"], "C": [0.01, 0.1, 1.0, 10.0]},
        {"kernel": ["rbf"], "C": [0.01, 1.0, 100.0], "gamma": [0.001, 0.1, 10.0]},
    ]
    search = GridSearchCV(SVC(), grid, cv=3).fit(X_IRIS, Y_IRIS)
    table = hyperparameter_importances(search)
    rows = {(r.subspace, r.hyperparameter): r for r in table.itertuples()}
    # kernel takes one value per sub-space: not tuned there
    assert set(rows) == {(0, "C"), (1, "C"), (1, "gamma")}
    assert rows[(0, "C")].n_candidates == 4
    assert rows[(1, "gamma")].n_candidates == 9


def test_failed_candidates_are_left_out_and_counted():
    searched = _synthetic(60, 3, _known)
    scores = searched.cv_results_["mean_test_score"].copy()
    scores[::5] = np.nan
    searched.cv_results_["mean_test_score"] = scores
    table = hyperparameter_importances(searched)
    assert table.attrs["n_failed"] == 12
    assert set(table["n_candidates"]) == {48}
    assert table["hyperparameter"].iloc[0] == "alpha"


def test_a_multi_metric_search_explains_the_refit_metric_or_the_one_named():
    X, y = make_classification(n_samples=120, random_state=0)
    search = RandomizedSearchCV(
        SVC(),
        {"C": [0.01, 0.1, 1.0, 10.0], "shrinking": [True, False]},
        n_iter=8,
        scoring=["accuracy", "balanced_accuracy"],
        refit="balanced_accuracy",
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert (
        hyperparameter_importances(search).attrs["metric"]
        == "mean_test_balanced_accuracy"
    )
    named = hyperparameter_importances(search, metric="accuracy")
    assert named.attrs["metric"] == "mean_test_accuracy"
    with pytest.raises(ValueError, match=re.escape("metric='f1' is not a scored")):
        hyperparameter_importances(search, metric="f1")


def test_bayes_search_results_are_read_as_any_other():
    search = BayesSearchCV(
        SVC(),
        {"C": (1e-3, 1e3, "log-uniform"), "kernel": ["rbf", "linear"]},
        n_iter=12,
        cv=3,
        random_state=0,
    ).fit(X_IRIS, Y_IRIS)
    table = hyperparameter_importances(search)
    assert set(table["hyperparameter"]) == {"C", "kernel"}
    assert np.isclose(table["importance"].sum() + table.attrs["interactions"][0], 1)


def test_all_scores_equal_gives_no_importance():
    searched = _Searched([{"a": float(a)} for a in range(10)], np.ones(10))
    table = hyperparameter_importances(searched)
    assert table["importance"].tolist() == [0.0]


def test_a_small_sub_space_is_reported_as_not_analysed():
    params = [{"a": float(a)} for a in range(10)] + [{"b": 1.0}, {"b": 2.0}]
    searched = _Searched(params, np.arange(12.0))
    with pytest.warns(UserWarning, match=re.escape("['b'] (2)")):
        table = hyperparameter_importances(searched)
    assert table["hyperparameter"].tolist() == ["a"]


def test_bad_arguments_are_named():
    with pytest.raises(NotFittedError):
        hyperparameter_importances(GridSearchCV(SVC(), {"C": [1.0]}))
    searched = _synthetic(20, 0, _known)
    with pytest.raises(ValueError, match="n_estimators must be an integer >= 1, got 0"):
        hyperparameter_importances(searched, n_estimators=0)
    with pytest.raises(ValueError, match="confidence must be a number in"):
        hyperparameter_importances(searched, confidence=1.5)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_trees_main_and_pair_effects_equal_their_values_on_a_fine_grid(seed):
    # the effects are computed from the leaves' boxes; on a grid finer than
    # every threshold they are plain means and variances of predictions
    rng = np.random.RandomState(seed)
    X = rng.uniform(0, 1, size=(60, 3))
    y = np.sin(6 * X[:, 0]) + X[:, 1] * X[:, 2] + 0.1 * rng.normal(size=60)
    tree = DecisionTreeRegressor(max_depth=5, random_state=seed).fit(X, y)
    anova = _TreeAnova(tree, np.zeros(3), np.ones(3))
    n = 64
    axis = (np.arange(n) + 0.5) / n
    grid = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)
    predictions = tree.predict(grid.reshape(-1, 3)).reshape(n, n, n)
    # thresholds fall between grid points only approximately: compare loosely
    assert anova.mean == pytest.approx(predictions.mean(), abs=0.02)
    assert anova.variance == pytest.approx(predictions.var(), rel=0.05)
    for dimension in range(3):
        other = tuple(d for d in range(3) if d != dimension)
        marginal = predictions.mean(axis=other)
        assert anova.main_effect(dimension) == pytest.approx(
            marginal.var(), rel=0.1, abs=1e-3
        )
    joint = predictions.mean(axis=2)
    expected = joint.var() - joint.mean(axis=1).var() - joint.mean(axis=0).var()
    assert anova.pair_effect(0, 1) == pytest.approx(max(expected, 0), rel=0.1, abs=1e-3)


def test_no_warning_on_a_clean_search():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hyperparameter_importances(_synthetic(40, 4, _known))


def test_a_search_whose_every_candidate_failed_has_nothing_to_explain():
    searched = _Searched([{"a": float(a)} for a in range(6)], np.full(6, np.nan))
    table = hyperparameter_importances(searched)
    assert table.empty
    assert table.attrs["n_failed"] == 6


@pytest.mark.parametrize(
    ("values", "log"),
    [
        ([0.001, 0.01, 0.1, 1.0, 10.0], True),  # a geometric grid
        ([0.005, 0.25, 0.5, 0.75, 1.0], False),  # an arithmetic one
        (list(np.random.RandomState(0).uniform(0, 1, 200)), False),
        (list(10 ** np.random.RandomState(0).uniform(-4, 1, 200)), True),
        ([1.0, 2.0, 50.0], False),  # less than two decades
        ([0.0, 0.001, 0.01, 0.1, 1.0], False),  # not all positive
    ],
)
def test_values_are_read_on_the_scale_they_were_spread_on(values, log):
    assert _Encoding.of("x", values).log is log


def test_the_scale_a_space_declares_comes_first():
    draws = list(np.random.RandomState(0).uniform(0.001, 1, 50))
    random = RandomizedSearchCV(
        SVC(), {"C": loguniform(0.001, 1), "tol": uniform(0.001, 1)}, n_iter=5
    )
    assert _declared_log(random, "C") is True
    assert _declared_log(random, "tol") is False
    bayes = BayesSearchCV(
        SVC(), [({"C": (0.001, 1.0, "log-uniform"), "tol": (0.001, 1.0)}, 5)]
    )
    assert _declared_log(bayes, "C") is True
    assert _declared_log(bayes, "tol") is False
    assert _declared_log(GridSearchCV(SVC(), {"C": draws}), "C") is None
    assert _Encoding.of("C", draws, log=True).log is True


def test_an_inert_hyperparameter_varied_with_one_that_matters_gets_no_share():
    # as a Bayesian search may: where it tried good values of alpha, it
    # happened to try small values of inert too
    rng = np.random.RandomState(0)
    alpha = rng.uniform(0, 1, 60)
    inert = np.clip(alpha + 0.05 * rng.normal(size=60), 0, 1)
    inert[:15] = rng.uniform(0, 1, 15)  # a few spread evenly, as initial points
    params = [{"alpha": float(a), "inert": float(b)} for a, b in zip(alpha, inert)]
    searched = _Searched(params, -((alpha - 0.3) ** 2))
    gp = hyperparameter_importances(searched).set_index("hyperparameter")
    assert gp.loc["inert", "importance"] < 0.05
    assert gp.loc["alpha", "importance"] > 0.9
    forest = hyperparameter_importances(searched, method="forest")
    assert set(forest["hyperparameter"]) == {"alpha", "inert"}


@pytest.mark.parametrize("method", ["gp", "forest"])
def test_both_methods_give_the_table_and_the_pairs(method):
    table = hyperparameter_importances(_synthetic(40, 5, _known), method=method)
    assert list(table.columns[:4]) == [
        "hyperparameter",
        "importance",
        "importance_low",
        "importance_high",
    ]
    assert (table["importance_low"] <= table["importance"]).all()
    assert (table["importance"] <= table["importance_high"]).all()
    pairs = table.attrs["pairs"]
    assert len(pairs) == 6  # the pairs of 4 hyperparameters
    assert pairs["importance"].between(0, 1).all()


def test_an_unknown_method_is_named():
    with pytest.raises(ValueError, match=r"method must be one of \['gp', 'forest'\]"):
        hyperparameter_importances(_synthetic(20, 0, _known), method="shap")


def test_a_halving_search_reads_each_candidate_at_its_largest_resource():
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV

    X, y = make_classification(n_samples=300, random_state=0)
    grid = {"C": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0], "shrinking": [True, False]}
    search = HalvingGridSearchCV(SVC(), grid, cv=3, random_state=0).fit(X, y)
    assert len(search.cv_results_["params"]) > 12  # candidates seen at several rungs
    table = hyperparameter_importances(search)
    assert set(table["n_candidates"]) == {12}
    assert table["hyperparameter"].iloc[0] == "C"


def test_results_without_params_are_read_from_their_param_columns():
    searched = _synthetic(40, 6, _known)
    params = searched.cv_results_.pop("params")
    for name in params[0]:
        searched.cv_results_[f"param_{name}"] = np.ma.MaskedArray(
            [p[name] for p in params], dtype=object
        )
    table = hyperparameter_importances(searched)
    assert set(table["hyperparameter"]) == set(params[0])


def test_results_without_any_hyperparameters_are_refused_clearly():
    searched = _Searched([{"a": 1.0}], [0.5])
    del searched.cv_results_["params"]
    with pytest.raises(ValueError, match="no 'params' and no 'param_<name>'"):
        hyperparameter_importances(searched)


def test_optunas_search_is_read_from_its_study():
    optuna = pytest.importorskip("optuna")
    integration = pytest.importorskip("optuna_integration")
    from optuna.distributions import CategoricalDistribution, FloatDistribution

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Optuna's experimental warnings
        search = integration.OptunaSearchCV(
            SVC(),
            {
                "C": FloatDistribution(1e-3, 1e3, log=True),
                "kernel": CategoricalDistribution(["rbf", "linear"]),
            },
            n_trials=10,
            cv=3,
            random_state=0,
        ).fit(X_IRIS, Y_IRIS)
    table = hyperparameter_importances(search)
    assert set(table["hyperparameter"]) == {"C", "kernel"}
    assert _declared_log(search, "C") is True


def test_shares_never_exceed_one_when_one_hyperparameter_explains_everything():
    rng = np.random.RandomState(0)
    params = [{"a": float(a), "b": float(b)} for a, b in rng.uniform(size=(40, 2))]
    searched = _Searched(params, [np.sin(6 * p["a"]) for p in params])
    for method in ("gp", "forest"):
        table = hyperparameter_importances(searched, method=method)
        assert table["importance"].sum() <= 1 + 1e-9
        assert (table["importance_high"] <= 1 + 1e-9).all()
        assert table["hyperparameter"].iloc[0] == "a"


def test_scikit_optimizes_search_is_read_as_any_other():
    from skopt import BayesSearchCV as SkoptBayesSearchCV

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-optimize's own deprecations
        search = SkoptBayesSearchCV(
            SVC(),
            {"C": (1e-3, 1e3, "log-uniform"), "gamma": (1e-4, 1.0, "log-uniform")},
            n_iter=8,
            cv=3,
            random_state=0,
        ).fit(X_IRIS, Y_IRIS)
    table = hyperparameter_importances(search)
    assert set(table["hyperparameter"]) == {"C", "gamma"}
    assert _declared_log(search, "C") is True
