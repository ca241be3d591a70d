"""Discovery of the estimators the package ships, and small test instances."""

import inspect

from sklearn.base import BaseEstimator
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline

import sklearn_hp
from sklearn_hp import BayesSearchCV, HalvingBayesSearchCV


def all_estimators():
    """Every public estimator class exported by ``sklearn_hp``."""
    return sorted(
        (
            obj
            for name in sklearn_hp.__all__
            if inspect.isclass(obj := getattr(sklearn_hp, name))
            and issubclass(obj, BaseEstimator)
        ),
        key=lambda cls: cls.__name__,
    )


def _search_configurations():
    """The estimators and spaces scikit-learn checks GridSearchCV with."""
    return [
        (Ridge(), {"alpha": [0.1, 1.0]}),
        (LogisticRegression(), {"C": [0.1, 1.0]}),
        (Pipeline([("pca", PCA()), ("ridge", Ridge())]), {"ridge__alpha": [0.1, 1.0]}),
        (
            Pipeline([("pca", PCA()), ("logisticregression", LogisticRegression())]),
            {"logisticregression__C": [0.1, 1.0]},
        ),
    ]


def search_instances():
    """BayesSearchCV configured as scikit-learn checks GridSearchCV, and ranges.

    The space goes under each of its three names: GridSearchCV's
    ``param_grid``, RandomizedSearchCV's ``param_distributions`` and
    ``search_spaces``.
    """
    instances = [
        BayesSearchCV(estimator, param_grid=space, n_iter=2, cv=2, error_score="raise")
        for estimator, space in _search_configurations()
    ]
    instances.append(
        BayesSearchCV(
            Ridge(),
            # a list, not a scipy.stats distribution, whose repr would change
            # the checks' test ids from one process to another
            param_distributions={"alpha": [0.01, 0.1, 1.0, 10.0, 100.0]},
            n_iter=3,
            cv=2,
            error_score="raise",
            random_state=0,
            optimizer_kwargs={"n_initial_points": 2},
        )
    )
    # A continuous range, so that the optimizer proposes candidates too.
    instances.append(
        BayesSearchCV(
            LogisticRegression(),
            {"C": (0.01, 10.0, "log-uniform")},
            n_iter=3,
            cv=2,
            error_score="raise",
            random_state=0,
            optimizer_kwargs={"n_initial_points": 2},
        )
    )
    return instances


def halving_search_instances():
    """HalvingBayesSearchCV on the rows of the data, and on a hyperparameter."""
    return [
        HalvingBayesSearchCV(
            Ridge(),
            param_distributions={"alpha": [0.01, 0.1, 1.0, 10.0]},
            n_candidates=4,
            factor=2,
            cv=2,
            error_score="raise",
            random_state=0,
        ),
        HalvingBayesSearchCV(
            LogisticRegression(),
            {"C": (0.01, 10.0, "log-uniform")},
            n_candidates=4,
            factor=2,
            resource="max_iter",
            min_resources=20,
            max_resources=100,
            cv=2,
            error_score="raise",
            random_state=0,
            optimizer_kwargs={"n_initial_points": 2},
        ),
    ]


def estimator_instances():
    """One or more small, fast instances of every estimator the package ships."""
    instances = []
    for cls in all_estimators():
        if cls is BayesSearchCV:
            instances += search_instances()
        elif cls is HalvingBayesSearchCV:
            instances += halving_search_instances()
        else:
            instances.append(cls())
    return instances
