"""Search spaces derived for the user: curated where known, else from constraints.

For the estimators people tune most, the ranges below are the ones
practitioners start from: wide enough to hold the best value on most data
sets, on the scale (log or linear) where the score changes evenly. For any
other estimator the space comes from its ``_parameter_constraints``, through
:meth:`ParamInspector.search_space`. In a pipeline, each step gets its own
space, under its name; transformers without a curated space are left as
they are.
"""

from typing import Any

from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator

from ..inspection import ParamInspector
from ..utils._sklearn_compat import BaseSearchCV


def _svm(estimator):
    # The RBF kernel only: a polynomial kernel with a large gamma can take
    # minutes to fit where the RBF takes a second.
    space = {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-4, 1e1)}
    if "epsilon" in estimator.get_params():
        space["epsilon"] = loguniform(1e-3, 1e0)
    return space


def _logistic_regression(estimator):
    return {"C": loguniform(1e-3, 1e3), "class_weight": [None, "balanced"]}


def _ridge(estimator):
    return {"alpha": loguniform(1e-3, 1e4)}


def _lasso(estimator):
    return {"alpha": loguniform(1e-5, 1e1)}


def _elastic_net(estimator):
    return {"alpha": loguniform(1e-5, 1e1), "l1_ratio": uniform(0.0, 1.0)}


def _neighbors(estimator):
    return {
        "n_neighbors": randint(1, 51),
        "weights": ["uniform", "distance"],
        "p": [1, 2],
    }


def _tree(estimator):
    space = {
        "max_depth": randint(2, 21),
        "min_samples_leaf": (1, 50, "log-uniform"),
        "max_features": [None, "sqrt", "log2"],
    }
    if "criterion" in estimator.get_params() and hasattr(estimator, "predict_proba"):
        space["criterion"] = ["gini", "entropy"]
    return space


def _forest(estimator):
    return {
        "n_estimators": (50, 500, "log-uniform"),
        "max_features": uniform(0.1, 0.9),
        "min_samples_leaf": (1, 20, "log-uniform"),
        "max_depth": [None, 5, 10, 20],
        "bootstrap": [True, False],
    }


def _gradient_boosting(estimator):
    return {
        "learning_rate": loguniform(1e-2, 0.5),
        "n_estimators": (50, 500, "log-uniform"),
        "max_depth": randint(2, 9),
        "subsample": uniform(0.5, 0.5),
        "min_samples_leaf": (1, 50, "log-uniform"),
    }


def _hist_gradient_boosting(estimator):
    return {
        "learning_rate": loguniform(1e-2, 0.5),
        "max_iter": (50, 500, "log-uniform"),
        "max_leaf_nodes": (8, 128, "log-uniform"),
        "min_samples_leaf": (5, 100, "log-uniform"),
        "l2_regularization": loguniform(1e-4, 1e1),
    }


def _mlp(estimator):
    return {
        "hidden_layer_sizes": [(50,), (100,), (100, 50), (200,)],
        "alpha": loguniform(1e-6, 1e-1),
        "learning_rate_init": loguniform(1e-4, 1e-1),
    }


def _gradient_descent(estimator):
    return {
        "learning_rate": loguniform(1e-4, 1e0),
        "alpha": loguniform(1e-6, 1e1),
        "batch_size": [16, 32, 64, 128, 256],
        "solver": ["adam", "sgd"],
    }


def _neural_network(estimator):
    return {
        **_gradient_descent(estimator),
        "hidden_layer_sizes": [(32,), (64,), (128,), (64, 32)],
        "dropout": uniform(0.0, 0.5),
    }


def _curated_spaces():
    """``(classes, space maker)`` pairs, the most specific first."""
    from sklearn.ensemble import (
        ExtraTreesClassifier,
        ExtraTreesRegressor,
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression, Ridge
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.svm import SVC, SVR
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    from ..linear_model import GradientDescentClassifier, GradientDescentRegressor
    from ..neighbors import KNearestNeighborsClassifier
    from ..neural_network import NeuralNetworkClassifier, NeuralNetworkRegressor

    return [
        ((SVC, SVR), _svm),
        ((LogisticRegression,), _logistic_regression),
        ((Ridge,), _ridge),
        ((ElasticNet,), _elastic_net),
        ((Lasso,), _lasso),
        (
            (KNeighborsClassifier, KNeighborsRegressor, KNearestNeighborsClassifier),
            _neighbors,
        ),
        ((DecisionTreeClassifier, DecisionTreeRegressor), _tree),
        (
            (
                RandomForestClassifier,
                RandomForestRegressor,
                ExtraTreesClassifier,
                ExtraTreesRegressor,
            ),
            _forest,
        ),
        ((GradientBoostingClassifier, GradientBoostingRegressor), _gradient_boosting),
        (
            (HistGradientBoostingClassifier, HistGradientBoostingRegressor),
            _hist_gradient_boosting,
        ),
        ((MLPClassifier, MLPRegressor), _mlp),
        ((NeuralNetworkClassifier, NeuralNetworkRegressor), _neural_network),
        ((GradientDescentClassifier, GradientDescentRegressor), _gradient_descent),
    ]


def _curated(estimator):
    for classes, make in _curated_spaces():
        # exact classes: a subclass may change what its hyperparameters mean
        if type(estimator) in classes:
            return make(estimator)
    return None


def suggest_space(estimator: BaseEstimator) -> dict[str, Any]:
    """Suggest a search space for an estimator's hyperparameters.

    For the estimators people tune most (SVC and SVR, LogisticRegression,
    Ridge, Lasso, ElasticNet, k-nearest neighbours, decision trees, random
    forests and extra trees, gradient boosting and histogram gradient
    boosting, MLP, and this package's estimators) it is a curated space; for
    any other, the space :meth:`ParamInspector.search_space` derives from the
    estimator's ``_parameter_constraints``. In a pipeline, every step with a
    curated space gets it under the step's name, and the final estimator
    gets its curated or derived space. The result can be read, narrowed and
    passed to :class:`BayesSearchCV` as ``search_spaces``; it is what
    ``BayesSearchCV(estimator)`` searches when given no space.

    Parameters
    ----------
    estimator : estimator instance
        The estimator (or pipeline) to tune.

    Returns
    -------
    space : dict
        ``get_params`` names to ranges (lists, scipy.stats distributions,
        ``(low, high, prior)`` tuples or scikit-optimize dimensions).

    Raises
    ------
    TypeError
        If ``estimator`` is not an estimator instance.
    ValueError
        If it is a search (``GridSearchCV``, ``BayesSearchCV``...), or a
        pipeline that ends in one: search its estimator instead.

    See Also
    --------
    BayesSearchCV : Tunes an estimator over such a space.
    ParamInspector.search_space : The space derived from constraints.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.svm import SVC
    >>> from sklearn_hp import suggest_space
    >>> sorted(suggest_space(make_pipeline(StandardScaler(), SVC())))
    ['svc__C', 'svc__gamma']
    """
    from sklearn.pipeline import Pipeline

    if not callable(getattr(estimator, "get_params", None)) or isinstance(
        estimator, type
    ):
        raise TypeError(
            "suggest_space: estimator must be an estimator instance, got "
            f"{estimator!r:.80}"
        )
    _refuse_search(estimator)
    if isinstance(estimator, Pipeline):
        space = {}
        steps = [(n, s) for n, s in estimator.steps if s not in (None, "passthrough")]
        _refuse_search(steps[-1][1] if steps else None)
        for index, (name, step) in enumerate(steps):
            final = index == len(steps) - 1
            step_space = _curated(step)
            if step_space is None and final:
                step_space = ParamInspector(step).search_space()
            for key, value in (step_space or {}).items():
                space[f"{name}__{key}"] = value
        return space
    curated = _curated(estimator)
    if curated is not None:
        return curated
    return ParamInspector(estimator).search_space()


def _refuse_search(estimator):
    """Refuse a search (GridSearchCV, BayesSearchCV...): no space is suggested.

    The space derived from its constraints would search its own arguments
    (``scoring``, ``refit``, ``n_iter``...), and the space of its estimator,
    under ``estimator__``, what it searches itself, which it sets anew in
    every fit. A search of a search is nested cross-validation, which
    ``cross_validate`` does.
    """
    if isinstance(estimator, BaseSearchCV):
        name = type(estimator).__name__
        raise ValueError(
            f"no search space is suggested for {name}, which is itself a "
            "search: search its estimator instead, with the space "
            "suggest_space(search.estimator) suggests, or evaluate the search "
            "by cross_validate"
        )
