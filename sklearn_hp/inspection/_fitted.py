"""What a fitted attribute is, and how many values it holds."""

import re
import sys
import warnings
from functools import lru_cache
from numbers import Number

import numpy as np
from scipy import sparse

#: The kinds of fitted attribute, in the order the report lists them.
KINDS = ("learned", "selected", "data", "diagnostic", "estimator")

# Facts about the training data rather than things learned from it.
_DATA = frozenset(
    {
        "n_features_in_",
        "feature_names_in_",
        "classes_",
        "n_classes_",
        "n_outputs_",
        "outputs_2d_",
        "n_samples_fit_",
        "n_samples_seen_",
        "n_features_",
        "n_samples_",
        "n_splits_",
        "multimetric_",
        "n_features_out_",
        "shape_fit_",
        "fitted_",
        "feature_name_",
        "output_indices_",
        # the training rows each tree of a bagging ensemble was fitted on:
        # drawn from random_state, not learned
        "estimators_samples_",
    }
)

# The record of training: iterations, losses, scores, timings.
_DIAGNOSTIC = re.compile(
    r"^n_iter|_iter_$|^n_steps_|loss|score|_time_$|^cv_results_$|^converged_$"
    r"|_curve_$|^dual_gap_$|^lower_bound_$|^oob_|^train_|^validation_|_err_$"
    r"|log_marginal_likelihood|^scorer_$|^feature_importances_$"
    r"|^t_$|^n_trials_$|^history_$|status_$|^evals_result_$"
)

# Hyperparameter values chosen or resolved during fit.
_SELECTED = frozenset(
    {"best_params_", "best_index_", "kernel_", "is_categorical_", "class_weight_"}
)

# Named like a hyperparameter, yet what the model learns from the data.
_LEARNED_NOT_SELECTED = frozenset({"categories_", "vocabulary_"})

# Private attributes in which some models keep what they learn: k-NN's stored
# samples, the trees of histogram gradient boosting, xgboost's and lightgbm's
# boosters.
PRIVATE_LEARNED = ("_fit_X", "_y", "_predictors", "_baseline_prediction", "_Booster")


def is_estimator(value):
    """Whether ``value`` is an estimator instance (not a class)."""
    return (
        hasattr(value, "get_params")
        and hasattr(value, "fit")
        and not isinstance(value, type)
    )


def estimator_children(value):
    """``(suffix, estimator)`` pairs of an estimator-valued fitted attribute.

    Handles a single estimator, lists and arrays of estimators, dicts and
    Bunches of them, and ``(name, estimator, ...)`` tuples as in
    ``ColumnTransformer.transformers_``. Empty if ``value`` holds no estimator.
    """
    if is_estimator(value):
        return [("", value)]
    if isinstance(value, dict):
        return [(f"[{key}]", item) for key, item in value.items() if is_estimator(item)]
    if isinstance(value, np.ndarray) and value.dtype == object:
        return [
            (f"[{', '.join(map(str, index))}]", item)
            for index, item in np.ndenumerate(value)
            if is_estimator(item)
        ]
    if isinstance(value, (list, tuple)):
        children = []
        for position, item in enumerate(value):
            if is_estimator(item):
                children.append((f"[{position}]", item))
            elif (
                isinstance(item, tuple)
                and len(item) >= 2
                and isinstance(item[0], str)
                and is_estimator(item[1])
            ):
                children.append((f"[{item[0]}]", item[1]))
        return children
    return []


def classify(name, value, hyperparameter_names):
    """Kind of the fitted attribute ``name`` (see :data:`KINDS`).

    An attribute whose reading raised is ``unavailable`` (AttributeError: not
    defined for this configuration, like ``SVC.coef_`` with an RBF kernel) or
    ``error`` (any other exception).
    """
    if isinstance(value, BaseException):
        return "unavailable" if isinstance(value, AttributeError) else "error"
    if estimator_children(value):
        return "estimator"
    if name in _DATA:
        return "data"
    if _DIAGNOSTIC.search(name):
        return "diagnostic"
    if name in PRIVATE_LEARNED or name in _LEARNED_NOT_SELECTED:
        return "learned"
    stem = name[:-1]
    scalar = isinstance(value, (Number, np.generic, str)) or value is None
    if (
        name in _SELECTED
        or name.startswith(("best_", "effective_"))
        or f"{stem}s" in hyperparameter_names  # alpha_ chosen among alphas
        # The resolved value of a hyperparameter: max_features_, n_components_.
        # An array is learned instead, like the dual coefficients alpha_ of a
        # Gaussian process, whose hyperparameter alpha is the noise level.
        or (stem in hyperparameter_names and scalar)
        # A resolved option or switch: out_activation_, do_early_stopping_.
        or isinstance(value, (str, bool, np.bool_))
    ):
        return "selected"
    if name.startswith("n_"):  # counts: n_layers_, n_support_ ...
        return "data"
    return "learned"


@lru_cache(maxsize=512)
def class_attribute_names(cls):
    """Public names ending in ``_`` that the class defines as properties."""
    names = set()
    for klass in cls.__mro__:
        for name, member in vars(klass).items():
            if (
                name.endswith("_")
                and not name.startswith("_")
                and not callable(member)
                and hasattr(member, "__get__")
            ):
                names.add(name)
    return frozenset(names)


def fitted_attribute_names(estimator):
    """Names of the fitted attributes of ``estimator``, sorted.

    The public instance attributes ending in ``_``, the properties of the
    class with such names, and the private attributes in which
    scikit-learn keeps what some models learn.
    """
    instance = vars(estimator) if hasattr(estimator, "__dict__") else {}
    names = {
        name for name in instance if name.endswith("_") and not name.startswith("_")
    }
    names |= class_attribute_names(type(estimator))
    names |= {name for name in PRIVATE_LEARNED if name in instance}
    return sorted(names), instance


def read_attribute(estimator, name, instance):
    """Return ``(value, error, deprecated, derived)`` for one fitted attribute.

    Warnings are caught (a deprecated attribute is flagged, not announced)
    and any exception is returned as the value, with its text as ``error``,
    never raised.
    """
    if name in instance:
        return instance[name], None, False, False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = getattr(estimator, name)
            error = None
        except Exception as exc:
            value, error = exc, f"{type(exc).__name__}: {exc}"
    deprecated = any(
        issubclass(w.category, (FutureWarning, DeprecationWarning)) for w in caught
    )
    return value, error, deprecated, True


def _tree_values(tree):
    """Learned values of a fitted scikit-learn ``Tree``.

    Each split node holds a feature index and a threshold; each leaf holds
    its prediction, ``n_outputs * max_n_classes`` values.
    """
    n_leaves = int(tree.n_leaves)
    n_splits = int(tree.node_count) - n_leaves
    return 2 * n_splits + n_leaves * int(np.prod(tree.value.shape[1:]))


def _predictor_values(predictor):
    """Learned values of a histogram gradient boosting ``TreePredictor``."""
    is_leaf = predictor.nodes["is_leaf"].astype(bool)
    return 2 * int((~is_leaf).sum()) + int(is_leaf.sum())


def _booster_values(booster):
    """Learned values of an xgboost or lightgbm booster, counted as for trees.

    Each split holds a feature and a threshold, each leaf its value.
    """
    module = type(booster).__module__
    if module.startswith("lightgbm"):
        leaves = [tree["num_leaves"] for tree in booster.dump_model()["tree_info"]]
        return sum(3 * n_leaves - 2 for n_leaves in leaves)
    nodes = booster.trees_to_dataframe()
    n_leaves = int((nodes["Feature"] == "Leaf").sum())
    return 2 * (len(nodes) - n_leaves) + n_leaves


def _is_booster(value):
    return type(value).__name__ == "Booster" and type(value).__module__.startswith(
        ("xgboost", "lightgbm")
    )


def _is_tree(value):
    return type(value).__name__ == "Tree" and hasattr(value, "node_count")


def _is_predictor(value):
    return type(value).__name__ == "TreePredictor" and hasattr(value, "nodes")


def count_values(value):
    """Count the scalars held by ``value``.

    Arrays count their elements (sparse matrices their stored ones), lists,
    tuples and object arrays the sum of their items, dicts their entries,
    trees their node parameters (see :func:`_tree_values`), scalars one.
    """
    if value is None:
        return 0
    if sparse.issparse(value):
        return int(value.nnz)
    if _is_tree(value):
        return _tree_values(value)
    if _is_predictor(value):
        return _predictor_values(value)
    if _is_booster(value):
        try:
            return _booster_values(value)
        except Exception:  # an unfamiliar booster version
            return 0
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return sum(count_values(item) for item in value.flat)
        return int(value.size)
    if isinstance(value, (list, tuple)):
        return sum(count_values(item) for item in value)
    if isinstance(value, dict):
        return len(value)
    if isinstance(value, (Number, np.generic, str, bool)):
        return 1
    return 0


def nbytes(value):
    """Memory taken by the values of ``value``, in bytes."""
    if value is None:
        return 0
    if sparse.issparse(value):
        return sum(
            getattr(value, part).nbytes
            for part in ("data", "indices", "indptr")
            if hasattr(value, part)
        )
    if _is_tree(value):
        state = value.__getstate__()
        return int(state["nodes"].nbytes + state["values"].nbytes)
    if _is_predictor(value):
        return int(value.nodes.nbytes)
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return int(value.nbytes) + sum(nbytes(item) for item in value.flat)
        return int(value.nbytes)
    if isinstance(value, (list, tuple)):
        return sum(nbytes(item) for item in value)
    return sys.getsizeof(value)


def shape_of(value):
    """Shape of ``value``: a tuple, a list of shapes for a list, or None."""
    if hasattr(value, "shape") and not isinstance(value, Number):
        try:
            return tuple(value.shape)
        except TypeError:
            return None
    if _is_tree(value):
        return (int(value.node_count),)
    if isinstance(value, (list, tuple)) and value:
        shapes = [shape_of(item) for item in value]
        if all(shape is not None for shape in shapes):
            return shapes
        return (len(value),)
    if isinstance(value, (list, tuple, dict)):
        return (len(value),)
    return None
