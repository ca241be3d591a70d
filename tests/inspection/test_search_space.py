import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from skopt.space import Categorical, Integer, Real, Space

from sklearn_hp import GradientDescentRegressor, NeuralNetworkClassifier, ParamInspector


def test_svc_space():
    space = ParamInspector(SVC()).search_space()
    assert isinstance(space["C"], Real)
    assert (space["C"].low, space["C"].high, space["C"].prior) == (
        0.01,
        100.0,
        "log-uniform",
    )
    assert isinstance(space["kernel"], Categorical)
    assert "precomputed" not in space["kernel"].categories
    assert set(space["gamma"].categories) == {"scale", "auto"}
    assert space["class_weight"].categories == (None, "balanced")
    assert isinstance(space["degree"], Integer)
    for skipped in ("verbose", "random_state", "cache_size", "probability"):
        assert skipped not in space


def test_bounded_interval_and_skipped_names():
    space = ParamInspector(LogisticRegression()).search_space()
    assert isinstance(space["C"], Real)
    assert "n_jobs" not in space
    assert "warm_start" not in space
    forest = ParamInspector(RandomForestClassifier()).search_space()
    assert forest["n_estimators"].bounds == (10, 1000)
    assert forest["n_estimators"].prior == "log-uniform"
    assert isinstance(forest["criterion"], Categorical)


def test_our_estimators():
    space = ParamInspector(GradientDescentRegressor()).search_space()
    assert space["learning_rate"].bounds == (1e-4, 1.0)
    assert space["solver"].categories == ("adam", "sgd")
    assert space["momentum"].bounds[0] == 0.0
    assert space["momentum"].bounds[1] < 1.0
    assert space["early_stopping"].categories == (False, True)
    network = ParamInspector(NeuralNetworkClassifier()).search_space()
    assert set(network["activation"].categories) == {
        "identity",
        "logistic",
        "relu",
        "tanh",
    }
    assert network["dropout"].bounds[0] == 0.0


def test_keys_are_get_params_paths_and_every_point_is_settable():
    pipe = make_pipeline(StandardScaler(), SVC())
    space = ParamInspector(pipe).search_space()
    assert "svc__C" in space
    assert "standardscaler__with_mean" in space
    assert set(space) <= set(pipe.get_params(deep=True))
    names = list(space)
    for point in Space(list(space.values())).rvs(n_samples=20, random_state=0):
        clone(pipe).set_params(**dict(zip(names, point)))


@pytest.mark.parametrize(
    "estimator", [SVC(), RandomForestClassifier(), GradientDescentRegressor()]
)
def test_sampled_points_pass_parameter_validation(estimator):
    from sklearn.utils._param_validation import validate_parameter_constraints

    space = ParamInspector(estimator).search_space()
    names = list(space)
    for point in Space(list(space.values())).rvs(n_samples=30, random_state=1):
        params = {**estimator.get_params(), **dict(zip(names, point))}
        params = {
            k: (v.item() if isinstance(v, np.generic) else v) for k, v in params.items()
        }
        validate_parameter_constraints(
            type(estimator)._parameter_constraints, params, type(estimator).__name__
        )


class _ListedConstraints(BaseEstimator):
    _parameter_constraints = ["alpha"]

    def __init__(self, alpha=1.0):
        self.alpha = alpha


def test_constraints_not_in_a_dict_are_refused_naming_the_class():
    message = "_ListedConstraints._parameter_constraints must be a dict"
    with pytest.raises(TypeError, match=message):
        ParamInspector(_ListedConstraints()).search_space()
    pipeline = make_pipeline(StandardScaler(), _ListedConstraints())
    with pytest.raises(TypeError, match=message):
        ParamInspector(pipeline).search_space()


def test_no_constraints_declared_derive_no_space():
    class Plain(BaseEstimator):
        def __init__(self, alpha=1.0):
            self.alpha = alpha

    assert ParamInspector(Plain()).search_space() == {}
