"""Discovery of the estimators the package ships."""

import inspect

from sklearn.base import BaseEstimator

import sklearn_hp


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
