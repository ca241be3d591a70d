"""Checks of a search space and fit's arguments against the estimator, before any fit.

A misspelt hyperparameter, a value the estimator rejects or a keyword its
``fit`` does not take would otherwise fail every fit of the search, one
candidate after another, and end in an error that says only that all fits
failed.
"""

import difflib
import inspect

from sklearn.base import BaseEstimator
from skopt.space import Categorical, Integer, Real

from ..utils._sklearn_compat import (
    InvalidParameterError,
    validate_parameter_constraints,
)


def _owner_and_leaf(estimator, name, params):
    """Return the (sub-)estimator a ``get_params`` name is set on, and its leaf."""
    owner_path, _, leaf = name.rpartition("__")
    owner = params.get(owner_path) if owner_path else estimator
    return owner, leaf


def _listed_values(subspace, name):
    for hyperparameter in subspace.hyperparameters:
        if hyperparameter.name == name:
            return hyperparameter.values or []
    if name in subspace.constants:
        return [subspace.constants[name]]
    return []


def _is_nested_in_searched_estimator(subspace, name):
    """Whether ``name`` is a hyperparameter of an estimator the space chooses."""
    parts = name.split("__")
    for index in range(1, len(parts)):
        owner, rest = "__".join(parts[:index]), "__".join(parts[index:])
        for value in _listed_values(subspace, owner):
            if (
                not isinstance(value, type)
                and callable(getattr(value, "get_params", None))
                and rest in value.get_params(deep=True)
            ):
                return True
    return False


def _rejects(estimator, name, params):
    """Whether setting ``name`` would raise: its nearest known owner checks names.

    scikit-learn's estimators reject a name they do not have; an estimator
    that does not derive from BaseEstimator may accept any.
    """
    parts = name.split("__")
    for index in range(len(parts) - 1, 0, -1):
        owner_path = "__".join(parts[:index])
        if owner_path in params:
            owner = params[owner_path]
            # a value with no set_params (a number, None, a string) takes no
            # nested hyperparameter
            return isinstance(owner, BaseEstimator) or not hasattr(owner, "set_params")
    return isinstance(estimator, BaseEstimator)


def check_settable(estimator):
    """Raise TypeError for an estimator whose hyperparameters cannot be set.

    A search sets each candidate through ``get_params`` and ``set_params``;
    scikit-learn's own check only asks for ``fit``.
    """
    if isinstance(estimator, type):
        raise TypeError(
            "estimator must be an estimator instance, got the class "
            f"{estimator.__name__}; pass an instance, such as {estimator.__name__}()"
        )
    missing = [
        method
        for method in ("get_params", "set_params")
        if not callable(getattr(estimator, method, None))
    ]
    if missing:
        raise TypeError(
            f"estimator must have get_params and set_params, as scikit-learn's "
            f"estimators do; {type(estimator).__name__} has no "
            f"{' or '.join(missing)}"
        )
    try:
        estimator.get_params(deep=True)
    except (TypeError, AttributeError) as error:
        # such as a pipeline with a step given as a class, not an instance
        raise TypeError(
            f"estimator: {type(estimator).__name__}.get_params(deep=True) fails "
            f"({error}); is one of its steps or sub-estimators a class instead "
            "of an instance?"
        ) from error


def check_names(estimator, subspaces, argument="search_spaces"):
    """Raise ValueError for a searched name the estimator would reject.

    Parameters
    ----------
    estimator : estimator
        The estimator the search tunes.
    subspaces : list of SubSpace
        The parsed search space.
    argument : str, default="search_spaces"
        The name the user gave the space under, which errors start with.
    """
    check_settable(estimator)
    params = estimator.get_params(deep=True)
    for subspace in subspaces:
        for name in subspace.names:
            if (
                name in params
                or _is_nested_in_searched_estimator(subspace, name)
                or not _rejects(estimator, name, params)
            ):
                continue
            close = difflib.get_close_matches(name, list(params), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"{argument}: {name!r} is not a hyperparameter of "
                f"{type(estimator).__name__}.{hint} Valid names are: "
                f"{', '.join(sorted(params))}."
            )


def _values_to_check(hyperparameter):
    dimension = hyperparameter.dimension
    if hyperparameter.distribution is not None:
        # the values at both tails and the median
        quantiles = (dimension.low, 0.5, dimension.high)
        try:
            return [hyperparameter.decode(q) for q in quantiles]
        except (ValueError, OverflowError):  # a quantile that is no number
            return []
    if hyperparameter.values is not None:
        return list(hyperparameter.values)
    if isinstance(dimension, Integer | Real):
        return [
            hyperparameter.decode(dimension.low),
            hyperparameter.decode(dimension.high),
        ]
    if isinstance(dimension, Categorical):
        return list(dimension.categories)
    return []


def check_values(estimator, subspaces, argument="search_spaces"):
    """Raise InvalidParameterError when no value of a hyperparameter is valid.

    Listed values, the bounds of ranges and a distribution's median and
    tails are checked against the ``_parameter_constraints`` of the
    (sub-)estimator they are set on, where it declares them. When some
    values are valid the search goes on, as GridSearchCV does, and records
    the candidates whose fit fails.
    """
    params = estimator.get_params(deep=True)
    for subspace in subspaces:
        searched = [(h.name, _values_to_check(h)) for h in subspace.hyperparameters]
        searched += [(name, [value]) for name, value in subspace.constants.items()]
        for name, values in searched:
            owner, leaf = _owner_and_leaf(estimator, name, params)
            constraints = getattr(owner, "_parameter_constraints", None)
            if not isinstance(constraints, dict) or leaf not in constraints:
                continue
            errors = []
            for value in values:
                try:
                    validate_parameter_constraints(
                        {leaf: constraints[leaf]},
                        {leaf: value},
                        caller_name=type(owner).__name__,
                    )
                except InvalidParameterError as error:
                    errors.append(error)
                except (TypeError, ValueError) as error:
                    # a value the constraints cannot even compare (a Fraction
                    # for an Interval): the estimator's own check fails alike
                    errors.append(
                        f"The {leaf!r} parameter of {type(owner).__name__} "
                        f"cannot be checked for {value!r}: {error}"
                    )
            if values and len(errors) == len(values):
                shown = ", ".join(repr(v) for v in values[:5])
                raise InvalidParameterError(
                    f"{argument}: no value of {name!r} is valid ({shown}): {errors[0]}"
                )


def check_fit_params(estimator, params):
    """Raise TypeError for scikit-optimize's ``fit(X, y, callback=...)``.

    ``fit`` passes its keywords on to the estimator's, as ``GridSearchCV.fit``
    does; scikit-optimize's search takes its callbacks there instead.
    """
    if "callback" in params and "callback" not in _fit_parameters(estimator):
        raise TypeError(
            "fit() got callback=, as scikit-optimize's BayesSearchCV.fit takes "
            "it; here callbacks are an argument of the search: "
            "BayesSearchCV(..., callbacks=...). fit passes its keywords on to "
            f"{type(estimator).__name__}.fit, which takes no callback"
        )


def _fit_parameters(estimator):
    try:
        return inspect.signature(estimator.fit).parameters
    except (TypeError, ValueError):
        return {"callback": None}  # not inspectable: let the estimator decide
