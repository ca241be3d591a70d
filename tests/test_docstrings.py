"""Every hyperparameter and every fitted attribute is documented, correctly."""

import ast
import inspect
import re
import warnings

import pandas as pd
import pytest
from numpydoc.docscrape import ClassDoc
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from sklearn_hp import BayesSearchCV, HalvingBayesSearchCV
from tests._estimators import all_estimators


def _instance(cls):
    if cls is BayesSearchCV:
        return BayesSearchCV(LogisticRegression(), {"C": (0.1, 10.0)}, n_iter=3, cv=2)
    if cls is HalvingBayesSearchCV:
        return HalvingBayesSearchCV(
            LogisticRegression(), {"C": (0.1, 10.0)}, n_candidates=9, cv=2
        )
    return cls()


def _fitted(cls, early_stopping=False):
    if "Regressor" in cls.__name__:
        X, y = make_regression(n_samples=60, n_features=4, random_state=0)
    else:
        X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    X = pd.DataFrame(X, columns=[f"feature_{i}" for i in range(X.shape[1])])
    estimator = _instance(cls)
    if early_stopping:
        estimator.set_params(early_stopping=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y)


@pytest.mark.parametrize("cls", all_estimators(), ids=lambda cls: cls.__name__)
def test_parameters_are_documented_with_their_defaults(cls):
    doc = ClassDoc(cls)
    documented = {p.name: p.type for p in doc["Parameters"]}
    signature = inspect.signature(cls.__init__).parameters
    parameters = [name for name in signature if name != "self"]
    assert list(documented) == parameters
    for name in parameters:
        default = signature[name].default
        match = re.search(r"default=(.+)$", documented[name])
        if default is inspect.Parameter.empty:
            assert not match, f"{name}: required, but a default is documented"
            continue
        assert match, f"{name}: no default documented"
        text = match.group(1).strip("\"'")
        if isinstance(default, str):
            assert text == default, name
        elif text == "np.nan":
            assert default != default, name  # NaN
        else:
            assert ast.literal_eval(text) == default, name


@pytest.mark.parametrize("cls", all_estimators(), ids=lambda cls: cls.__name__)
def test_fitted_attributes_are_documented(cls):
    documented = {a.name for a in ClassDoc(cls)["Attributes"]}
    fitted = set()
    for early_stopping in (
        (False, True) if "early_stopping" in _instance(cls).get_params() else (False,)
    ):
        estimator = _fitted(cls, early_stopping)
        fitted |= {
            name
            for name in vars(estimator)
            if name.endswith("_") and not name.startswith("_")
        }
    # Fitted attributes that are properties (a search's classes_ and
    # n_features_in_ come from its best estimator) are documented too.
    properties = {
        name
        for name, value in inspect.getmembers(cls)
        if isinstance(value, property) and name.endswith("_")
    }
    assert fitted <= documented
    assert documented - fitted <= properties


@pytest.mark.parametrize("cls", all_estimators(), ids=lambda cls: cls.__name__)
def test_docstring_has_the_numpydoc_sections(cls):
    doc = ClassDoc(cls)
    for section in ("Parameters", "Attributes", "See Also", "Examples"):
        assert doc[section], section
    assert not re.search(r"\{[a-z_]+\}", cls.__doc__), "unfilled placeholder"
