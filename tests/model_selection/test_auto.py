import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.cluster import KMeans
from sklearn.covariance import EmpiricalCovariance
from sklearn.datasets import make_classification, make_regression
from sklearn.decomposition import PCA
from sklearn.ensemble import (
    AdaBoostClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)
from sklearn.linear_model import (
    BayesianRidge,
    ElasticNet,
    Lasso,
    LogisticRegression,
    Ridge,
)
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from sklearn_hp import (
    BayesSearchCV,
    GradientDescentRegressor,
    KNearestNeighborsClassifier,
    NeuralNetworkClassifier,
    ParamInspector,
    suggest_space,
)
from sklearn_hp.model_selection._checks import check_names, check_values
from sklearn_hp.model_selection._space import parse_search_spaces

CURATED = [
    SVC(),
    SVR(),
    LogisticRegression(),
    Ridge(),
    Lasso(),
    ElasticNet(),
    KNeighborsClassifier(),
    KNeighborsRegressor(),
    DecisionTreeClassifier(),
    DecisionTreeRegressor(),
    RandomForestClassifier(),
    ExtraTreesRegressor(),
    GradientBoostingClassifier(),
    HistGradientBoostingRegressor(),
    MLPClassifier(),
    GradientDescentRegressor(),
    NeuralNetworkClassifier(),
    KNearestNeighborsClassifier(),
]


@pytest.mark.parametrize("estimator", CURATED, ids=lambda e: type(e).__name__)
def test_curated_spaces_are_valid_for_their_estimator(estimator):
    space = suggest_space(estimator)
    assert space
    subspaces = parse_search_spaces(space)
    check_names(estimator, subspaces)
    check_values(estimator, subspaces)
    # every sampled point can be set on the estimator
    subspace = subspaces[0]
    for point in subspace.space().rvs(n_samples=5, random_state=0):
        clone(estimator).set_params(**subspace.decode(point))


def test_pipeline_steps_get_their_spaces_under_their_names():
    pipe = make_pipeline(StandardScaler(), PCA(), SVC())
    space = suggest_space(pipe)
    assert sorted(space) == ["svc__C", "svc__gamma"]
    # a final estimator without a curated space gets the derived one
    derived = suggest_space(make_pipeline(StandardScaler(), AdaBoostClassifier()))
    assert {
        "adaboostclassifier__n_estimators",
        "adaboostclassifier__learning_rate",
    } <= (set(derived))
    assert all(key.startswith("adaboostclassifier__") for key in derived)


def test_other_estimators_get_the_space_derived_from_constraints():
    space = suggest_space(AdaBoostClassifier())
    assert "n_estimators" in space
    assert "random_state" not in space


@pytest.mark.parametrize(
    ("estimator", "untuned"),
    [
        (KMeans(), {"copy_x"}),
        (BayesianRidge(), {"compute_score", "copy_X"}),
        (Lasso(), {"precompute", "copy_X"}),
        (EmpiricalCovariance(), {"store_precision"}),
    ],
)
def test_derived_spaces_leave_out_what_does_not_change_the_model(estimator, untuned):
    # copies, stored extras and precomputations change the cost of a fit or
    # what is kept, never what is learnt
    assert not untuned & set(ParamInspector(estimator).search_space())


def test_search_with_no_space_tunes_the_suggested_one():
    X, y = make_classification(n_samples=80, n_features=5, random_state=0)
    for search_spaces in (None, "auto"):
        search = BayesSearchCV(
            make_pipeline(StandardScaler(), SVC()),
            search_spaces,
            n_iter=6,
            cv=3,
            random_state=0,
        ).fit(X, y)
        assert set(search.best_params_) == {"svc__C", "svc__gamma"}
        assert search.best_score_ > 0.6


def test_auto_space_for_regression_trees():
    X, y = make_regression(n_samples=60, n_features=4, random_state=0)
    search = BayesSearchCV(
        DecisionTreeRegressor(random_state=0), n_iter=5, cv=3, random_state=0
    ).fit(X, y)
    assert {"max_depth", "min_samples_leaf", "max_features"} == set(search.best_params_)
    assert np.isfinite(search.best_score_)


class NothingToTune(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_an_estimator_with_nothing_to_tune_needs_a_space():
    X, y = make_classification(n_samples=40, random_state=0)
    with pytest.raises(ValueError, match="no hyperparameter to search could be"):
        BayesSearchCV(NothingToTune()).fit(X, y)


def test_suggest_space_needs_an_estimator_instance():
    with pytest.raises(TypeError, match="estimator must be an estimator instance"):
        suggest_space(SVC)


@pytest.mark.parametrize(
    "search",
    [
        GridSearchCV(LogisticRegression(), {"C": [1.0, 2.0]}),
        BayesSearchCV(SVC(), {"C": [1.0, 2.0]}),
        make_pipeline(StandardScaler(), GridSearchCV(SVC(), {"C": [1.0, 2.0]})),
    ],
)
def test_no_space_is_suggested_for_a_search(search):
    with pytest.raises(ValueError, match="is itself a search: search its estimator"):
        suggest_space(search)
