"""ParamInspector over every scikit-learn estimator that builds with defaults."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.utils import get_tags
from sklearn.utils.discovery import all_estimators

from sklearn_hp import ParamInspector


def _buildable():
    estimators = []
    for name, cls in all_estimators():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # deprecated classes
            try:
                estimators.append((name, cls()))
            except TypeError:  # needs arguments: sub-estimators, steps ...
                continue
    return estimators


def _data(estimator):
    """Small data an estimator accepts, or None for non-tabular input."""
    try:
        tags = get_tags(estimator)
    except Exception:  # defaults that cannot even be tagged
        return None
    if not tags.input_tags.two_d_array:
        return None
    X, y = make_classification(
        n_samples=40, n_features=4, n_informative=3, n_redundant=0, random_state=0
    )
    if tags.input_tags.positive_only:
        X = np.abs(X)
    if tags.regressor_tags is not None:
        y = X @ np.arange(1.0, 5.0)
    return X, y


def _fit(estimator):
    data = _data(estimator)
    if data is None:
        return False
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            estimator.fit(X, y)
        except Exception:  # a few need particular data; still inspected
            return False
    return True


def _public_fitted_names(estimator):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            name
            for name in dir(estimator)
            if name.endswith("_") and not name.startswith("_")
        }


ESTIMATORS = list(_buildable())


def test_sweep_covers_most_of_scikit_learn():
    assert len(ESTIMATORS) > 150


@pytest.mark.parametrize(
    ("name", "estimator"), ESTIMATORS, ids=[n for n, _ in ESTIMATORS]
)
def test_inspects_every_estimator(name, estimator):
    fitted = _fit(estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing reaches the user
        inspector = ParamInspector(estimator)
        hyper = inspector.hyperparameters()
        rows = inspector.fitted_parameters()
        inspector.n_learned()
        str(inspector)
        inspector._repr_html_()
        inspector.to_dict()
    keys = [f"{p}__{n}" if p else n for p, n in zip(hyper["path"], hyper["name"])]
    assert keys == list(estimator.get_params(deep=True))
    if fitted and inspector.is_fitted():
        reported = set(rows.loc[rows["path"] == "", "name"])
        assert _public_fitted_names(estimator) <= reported
        assert not (rows["kind"] == "error").any(), rows[rows["kind"] == "error"]


def test_most_estimators_fit_in_the_sweep():
    fitted = 0
    for _, estimator in _buildable():
        fitted += _fit(estimator)
    assert fitted > 120
