"""xgboost and lightgbm: hyperparameters passed through ``**kwargs``."""

import warnings

import pytest
from sklearn.datasets import make_classification

from sklearn_hp import ParamInspector


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=100, n_features=5, random_state=0)


def _changed(inspector):
    table = inspector.hyperparameters()
    return sorted(table.loc[~table["is_default"].astype(bool), "name"])


def test_xgboost_defaults_come_from_its_base_class(data):
    xgboost = pytest.importorskip("xgboost")
    model = xgboost.XGBClassifier(n_estimators=3, max_depth=2)
    inspector = ParamInspector(model)
    assert len(inspector.hyperparameters()) == len(model.get_params())
    # scikit-learn's own repr marks 39 of its 40 parameters as set by the user.
    assert _changed(inspector) == ["max_depth", "n_estimators"]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(*data)
    booster = model.get_booster().trees_to_dataframe()
    leaves = int((booster["Feature"] == "Leaf").sum())
    assert inspector.n_learned() == 2 * (len(booster) - leaves) + leaves


def test_lightgbm_keyword_arguments_are_changed_hyperparameters(data):
    lightgbm = pytest.importorskip("lightgbm")
    model = lightgbm.LGBMClassifier(n_estimators=3, verbose=-1, min_child_samples=5)
    inspector = ParamInspector(model)
    assert _changed(inspector) == ["min_child_samples", "n_estimators", "verbose"]
    model.fit(*data)
    leaves = [tree["num_leaves"] for tree in model.booster_.dump_model()["tree_info"]]
    assert inspector.n_learned() == sum(2 * (n - 1) + n for n in leaves)
    kinds = inspector.fitted_parameters().set_index("name")["kind"]
    assert kinds["booster_"] == "learned"
    assert kinds["objective_"] == "selected"
    assert kinds["n_iter_"] == "diagnostic"
