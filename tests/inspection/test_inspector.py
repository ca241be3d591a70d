import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.ensemble import (
    BaggingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
    StackingClassifier,
    VotingClassifier,
)
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import deprecated

from sklearn_hp import (
    GradientDescentRegressor,
    KNearestNeighborsClassifier,
    NeuralNetworkClassifier,
    ParamInspector,
)
from sklearn_hp.inspection._hyperparameters import NO_DEFAULT, same_value

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def binary():
    return make_classification(n_samples=120, n_features=10, random_state=0)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def _hyper_keys(inspector):
    table = inspector.hyperparameters()
    return [f"{p}__{n}" if p else n for p, n in zip(table["path"], table["name"])]


def _fitted(inspector):
    return inspector.fitted_parameters().set_index(["path", "name"])


def test_nothing_is_computed_at_creation():
    class Exploding(BaseEstimator):
        def get_params(self, deep=True):
            raise AssertionError("read too early")

    ParamInspector(Exploding())


@pytest.mark.parametrize("cls", [MLPClassifier, NeuralNetworkClassifier])
def test_network_with_10_inputs_and_20_hidden_units_learns_241_values(cls, binary):
    X, y = binary
    model = cls(hidden_layer_sizes=(20,), max_iter=20, random_state=0).fit(X, y)
    inspector = ParamInspector(model)
    assert inspector.n_learned() == 10 * 20 + 20 + 20 * 1 + 1
    learned = _fitted(inspector).query("kind == 'learned'")
    assert set(learned.index.get_level_values("name")) == {"coefs_", "intercepts_"}
    assert learned.loc[("", "coefs_"), "shape"] == [(10, 20), (20, 1)]
    assert _fitted(inspector).loc[("", "n_iter_"), "kind"] == "diagnostic"
    assert _fitted(inspector).loc[("", "classes_"), "kind"] == "data"


def test_unfitted_estimator_has_hyperparameters_only():
    inspector = ParamInspector(SVC(C=2.0))
    assert not inspector.is_fitted()
    assert inspector.fitted_parameters().empty
    assert inspector.n_learned() == 0
    table = inspector.hyperparameters().set_index("name")
    assert table.loc["C", "value"] == 2.0
    assert table.loc["C", "default"] == 1.0
    assert not table.loc["C", "is_default"]
    assert table.loc["kernel", "is_default"]
    assert "a float in the range (0.0, inf" in table.loc["C", "constraint"]
    assert table.loc["C", "description"].startswith("Regularization parameter.")


def test_pipeline_with_passthrough_and_none_steps(binary):
    X, y = binary
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("skip", "passthrough"),
            ("none", None),
            ("clf", LogisticRegression(C=0.5)),
        ]
    ).fit(X, y)
    inspector = ParamInspector(pipe)
    assert _hyper_keys(inspector) == list(pipe.get_params(deep=True))
    hyper = inspector.hyperparameters().set_index(["path", "name"])
    assert hyper.loc[("", "skip"), "value"] == "passthrough"
    assert hyper.loc[("", "steps"), "default"] is NO_DEFAULT
    assert not hyper.loc[("clf", "C"), "is_default"]
    fitted = _fitted(inspector)
    assert fitted.loc[("clf", "coef_"), "kind"] == "learned"
    assert fitted.loc[("scale", "mean_"), "kind"] == "learned"
    assert inspector.n_learned() == 10 + 1 + 3 * 10  # coef, intercept, mean/scale/var


def test_column_transformer_templates_and_fitted_clones():
    X = pd.DataFrame(
        {
            "num": [1.0, 2.0, 3.0, 4.0],
            "cat": ["a", "b", "a", "c"],
            "other": [0, 1, 0, 1],
        }
    )
    y = [0, 1, 0, 1]
    pre = ColumnTransformer(
        [("num", StandardScaler(), ["num"]), ("cat", OneHotEncoder(), ["cat"])],
        remainder=StandardScaler(),
    )
    pipe = Pipeline([("preprocess", pre), ("clf", LogisticRegression())]).fit(X, y)
    inspector = ParamInspector(pipe)
    assert _hyper_keys(inspector) == list(pipe.get_params(deep=True))
    fitted = _fitted(inspector)
    paths = set(fitted.index.get_level_values("path"))
    # The templates stay unfitted; the fitted clones are inspected where they live.
    assert "preprocess.num" not in paths
    assert "preprocess.transformers_[num]" in paths
    assert "preprocess.transformers_[remainder]" in paths
    assert (
        fitted.loc[("preprocess.transformers_[cat]", "categories_"), "kind"]
        == "learned"
    )
    assert fitted.loc[("preprocess", "transformers_"), "kind"] == "estimator"


def test_feature_union(binary):
    X, _ = binary
    union = FeatureUnion([("a", StandardScaler()), ("b", FunctionTransformer())]).fit(X)
    inspector = ParamInspector(union)
    assert _hyper_keys(inspector) == list(union.get_params(deep=True))
    assert inspector.n_learned() == 3 * 10


def test_function_transformer_is_stateless(binary):
    X, _ = binary
    inspector = ParamInspector(FunctionTransformer(np.log1p).fit(np.abs(X)))
    assert inspector.n_learned() == 0
    str(inspector)


def test_search_estimator_template_and_best_estimator(iris):
    X, y = iris
    search = GridSearchCV(SVC(), {"C": [0.1, 1.0]}, cv=3).fit(X, y)
    inspector = ParamInspector(search)
    fitted = _fitted(inspector)
    assert "estimator" not in set(fitted.index.get_level_values("path"))
    assert fitted.loc[("", "best_estimator_"), "kind"] == "estimator"
    assert fitted.loc[("best_estimator_", "support_vectors_"), "kind"] == "learned"
    assert fitted.loc[("", "best_params_"), "kind"] == "selected"
    assert fitted.loc[("", "cv_results_"), "kind"] == "diagnostic"
    assert inspector.n_learned() == ParamInspector(search.best_estimator_).n_learned()


@pytest.mark.parametrize(
    "ensemble",
    [
        StackingClassifier(
            [
                ("lr", LogisticRegression()),
                ("tree", DecisionTreeClassifier(max_depth=2)),
            ],
            cv=3,
        ),
        VotingClassifier(
            [("lr", LogisticRegression()), ("knn", KNeighborsClassifier())]
        ),
        BaggingClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=3),
    ],
    ids=["stacking", "voting", "bagging"],
)
def test_ensembles_inspect_each_fitted_member(ensemble, iris):
    X, y = iris
    ensemble = (
        clone(ensemble).set_params(random_state=0)
        if "random_state" in ensemble.get_params()
        else clone(ensemble)
    )
    ensemble.fit(X, y)
    inspector = ParamInspector(ensemble)
    assert _hyper_keys(inspector) == list(ensemble.get_params(deep=True))
    fitted = inspector.fitted_parameters()
    members = fitted[fitted["path"].str.startswith("estimators_[")]
    assert set(members["path"]) == {
        f"estimators_[{i}]" for i in range(len(ensemble.estimators_))
    }
    member_total = sum(ParamInspector(m).n_learned() for m in ensemble.estimators_)
    assert inspector.n_learned() >= member_total > 0


def _tree_count(tree):
    leaves = tree.children_left == -1
    return 2 * int((~leaves).sum()) + int(leaves.sum()) * int(
        np.prod(tree.value.shape[1:])
    )


def test_forest_counts_the_node_parameters_of_every_tree(iris):
    X, y = iris
    forest = RandomForestClassifier(n_estimators=7, max_depth=3, random_state=0).fit(
        X, y
    )
    inspector = ParamInspector(forest)
    assert inspector.n_learned() == sum(
        _tree_count(t.tree_) for t in forest.estimators_
    )
    fitted = inspector.fitted_parameters()
    assert (fitted["path"] == "estimators_[6]").any()
    importances = fitted.set_index(["path", "name"]).loc[("", "feature_importances_")]
    assert importances["kind"] == "diagnostic"
    assert importances["derived"]


def test_hist_gradient_boosting_counts_its_private_trees(iris):
    X, y = iris
    model = HistGradientBoostingClassifier(max_iter=5, max_depth=3).fit(X, y)
    inspector = ParamInspector(model)
    expected = 0
    for iteration in model._predictors:
        for predictor in iteration:
            leaves = predictor.nodes["is_leaf"].astype(bool)
            expected += 2 * int((~leaves).sum()) + int(leaves.sum())
    expected += np.size(model._baseline_prediction)
    assert inspector.n_learned() == expected
    assert _fitted(inspector).loc[("", "n_iter_"), "kind"] == "diagnostic"


def test_gaussian_process_kernel_defaults_are_not_changed():
    X, y = make_regression(n_samples=20, n_features=2, random_state=0)
    model = GaussianProcessRegressor(kernel=ConstantKernel(1.0) * RBF(1.0)).fit(X, y)
    inspector = ParamInspector(model)
    hyper = inspector.hyperparameters().set_index(["path", "name"])
    assert hyper.loc[("kernel__k1", "constant_value"), "is_default"]
    assert hyper.loc[("kernel__k2", "length_scale"), "is_default"]
    assert hyper.loc[("kernel__k2", "length_scale_bounds"), "is_default"]
    assert not hyper.loc[("", "kernel"), "is_default"]  # None by default
    assert _fitted(inspector).loc[("", "kernel_"), "kind"] == "selected"
    assert _fitted(inspector).loc[("", "alpha_"), "kind"] == "learned"


def test_svc_coef_is_unavailable_for_an_rbf_kernel_and_derived_for_a_linear_one(iris):
    X, y = iris
    rbf = _fitted(ParamInspector(SVC().fit(X, y))).loc[("", "coef_")]
    assert rbf["kind"] == "unavailable"
    assert "linear kernel" in rbf["error"]
    linear_inspector = ParamInspector(SVC(kernel="linear").fit(X, y))
    linear = _fitted(linear_inspector).loc[("", "coef_")]
    assert linear["kind"] == "learned"
    assert linear["derived"]
    model = linear_inspector.estimator
    stored = model.support_vectors_.size + model.dual_coef_.size + model.intercept_.size
    assert linear_inspector.n_learned() == stored + model.support_.size


_DEFAULT_SCALE = np.array([1.0, 2.0])


class _Quirky(RegressorMixin, BaseEstimator):
    """An estimator with attributes that warn, raise and are sparse."""

    def __init__(self, scale=_DEFAULT_SCALE, base=None):
        self.scale = scale
        self.base = base

    def fit(self, X, y):
        self.coef_ = sparse.csr_matrix(np.array([[0.0, 1.5, 0.0, 2.0]]))
        self.n_features_in_ = 4
        return self

    @property
    @deprecated("old_ is deprecated")
    def old_(self):
        return np.zeros(3)

    @property
    def broken_(self):
        raise RuntimeError("cannot compute")

    def predict(self, X):
        return np.zeros(len(X))


@pytest.mark.filterwarnings("error")
def test_deprecated_raising_and_sparse_attributes():
    inspector = ParamInspector(_Quirky().fit(np.zeros((3, 4)), np.zeros(3)))
    fitted = _fitted(inspector)
    assert fitted.loc[("", "old_"), "deprecated"]
    assert fitted.loc[("", "broken_"), "kind"] == "error"
    assert fitted.loc[("", "broken_"), "error"] == "RuntimeError: cannot compute"
    assert (
        fitted.loc[("", "coef_"), "size"] == 2
    )  # stored elements of the sparse matrix
    assert inspector.n_learned() == 2
    assert "broken_" in str(inspector)
    inspector._repr_html_()


def test_array_and_estimator_defaults_are_compared_by_value():
    inspector = ParamInspector(_Quirky(scale=[1.0, 2.0]))
    hyper = inspector.hyperparameters().set_index("name")
    assert hyper.loc["scale", "is_default"]
    assert (
        not ParamInspector(_Quirky(scale=[1.0, 3.0]))
        .hyperparameters()
        .set_index("name")
        .loc["scale", "is_default"]
    )
    assert (
        ParamInspector(MLPClassifier(hidden_layer_sizes=[100]))
        .hyperparameters()
        .set_index("name")
        .loc["hidden_layer_sizes", "is_default"]
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ((100,), [100], True),
        (np.array([1.0, np.nan]), [1.0, np.nan], True),
        (float("nan"), float("nan"), True),
        ("auto", "auto", True),
        ("1", 1, False),
        (None, 0, False),
        (
            DecisionTreeClassifier(max_depth=2),
            DecisionTreeClassifier(max_depth=2),
            True,
        ),
        (
            DecisionTreeClassifier(max_depth=2),
            DecisionTreeClassifier(max_depth=3),
            False,
        ),
        (RBF(1.0), RBF(1.0), True),
        ({"a": (1, 2)}, {"a": [1, 2]}, True),
        ([("a", 1)], [("a", 2)], False),
        (NO_DEFAULT, None, False),
    ],
)
def test_same_value(a, b, same):
    assert same_value(a, b) is same


def test_our_estimators(binary):
    X, y = binary
    linear = ParamInspector(
        GradientDescentRegressor(random_state=0).fit(X, y.astype(float))
    )
    assert linear.n_learned() == X.shape[1] + 1
    knn = ParamInspector(KNearestNeighborsClassifier().fit(X, y))
    assert knn.n_learned() == X.size + len(y)
    assert _fitted(knn).loc[("", "X_fit_"), "kind"] == "learned"


def test_scikit_learn_knn_counts_its_stored_samples(binary):
    X, y = binary
    inspector = ParamInspector(KNeighborsClassifier().fit(X, y))
    assert inspector.n_learned() == X.size + len(y)
    assert _fitted(inspector).loc[("", "_fit_X"), "kind"] == "learned"


def test_diff(iris):
    X, y = iris
    a = SVC(C=1.0).fit(X, y)
    b = SVC(C=2.0).fit(X[:100], y[:100])
    table = ParamInspector(a).diff(b)
    hyper = table[table["what"] == "hyperparameter"]
    assert hyper[["name", "self", "other"]].values.tolist() == [["C", 1.0, 2.0]]
    shapes = table[table["what"] == "fitted shape"].set_index("name")
    assert shapes.loc["classes_", "self"] == (3,)
    assert shapes.loc["classes_", "other"] == (2,)
    assert ParamInspector(a).diff(clone(a).fit(X, y)).empty
    unfitted = ParamInspector(a).diff(SVC())
    assert (
        unfitted.loc[unfitted["what"] == "fitted shape", "other"] == "<absent>"
    ).all()


def test_to_dict_is_json(iris):
    X, y = iris
    pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC())]).fit(X, y)
    report = ParamInspector(pipe).to_dict()
    text = json.dumps(report)
    assert report["fitted"] is True
    assert report["n_learned"] == ParamInspector(pipe).n_learned()
    assert '"svc__C"' not in text  # rows hold path and name apart
    assert {row["name"] for row in report["hyperparameters"]} >= {
        "C",
        "kernel",
        "steps",
    }


def test_text_and_html_reports(iris):
    X, y = iris
    inspector = ParamInspector(Pipeline([("svc", SVC(C=3.0))]).fit(X, y))
    text = str(inspector)
    assert "Pipeline (fitted)" in text
    assert "svc__C" in text
    assert "changed from their defaults" in text
    assert "support_vectors_" in text
    # coef_ does not apply to an RBF kernel: in the table, not in the report
    assert "svc.coef_" not in text
    assert "svc.support_vectors_" in text
    fitted = inspector.fitted_parameters().set_index("name")
    assert fitted.loc["coef_", "kind"] == "unavailable"
    # text columns aligned left, numbers right
    (row,) = [line for line in text.splitlines() if line.startswith("svc__C ")]
    assert row.split()[:3] == ["svc__C", "3.0", "1.0"]
    page = inspector._repr_html_()
    assert "class='changed'" in page
    assert "class='default'" in page
    assert "support_vectors_" in page
    assert "Pipeline" in repr(inspector)
    assert "not fitted" in str(ParamInspector(SVC()))


def test_no_warning_reaches_the_user(iris):
    X, y = iris
    model = RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        inspector = ParamInspector(model)
        inspector.fitted_parameters()
        inspector.hyperparameters()
        str(inspector)


def test_fitted_pipeline_inside_a_search_is_walked_through_its_steps(iris):
    X, y = iris
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    search = GridSearchCV(pipe, {"clf__C": [0.1, 1.0]}, cv=3).fit(X, y)
    inspector = ParamInspector(search)
    fitted = _fitted(inspector)
    assert fitted.loc[("best_estimator_.clf", "coef_"), "kind"] == "learned"
    assert fitted.loc[("best_estimator_.scale", "mean_"), "kind"] == "learned"
    best = search.best_estimator_
    assert (
        inspector.n_learned()
        == ParamInspector(best).n_learned()
        == (best["clf"].coef_.size + best["clf"].intercept_.size + 3 * X.shape[1])
    )
    hyper = inspector.hyperparameters()
    assert hyper.query("has_default and not is_default")["name"].tolist() == ["cv"]


def test_a_fitted_search_lists_what_it_tuned_with_defaults_and_importance(iris):
    X, y = iris
    pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
    grid = {
        "clf__C": [0.01, 0.1, 1.0, 10.0],
        "clf__gamma": [0.01, 1.0],
        "clf__shrinking": [True, False],
    }
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    inspector = ParamInspector(search)
    tuned = inspector.tuned_hyperparameters().set_index("hyperparameter")
    assert set(tuned.index) == set(grid)
    assert tuned["best_value"].to_dict() == search.best_params_
    assert tuned.loc["clf__C", "default"] == 1.0
    assert tuned.loc["clf__gamma", "default"] == "scale"
    assert tuned.loc["clf__shrinking", "default"] is True
    assert tuned.index[0] == "clf__C"
    assert tuned.loc["clf__shrinking", "importance"] < 0.05
    report = str(inspector)
    section = report.split("Tuned hyperparameters (by the search): 3")[1]
    assert section.index("clf__C") < section.index("clf__shrinking")
    header = section.splitlines()[1].split()
    assert header == ["parameter", "best", "value", "default", "importance"]


def test_tuned_hyperparameters_need_a_fitted_search(iris):
    with pytest.raises(ValueError, match="LogisticRegression has none"):
        ParamInspector(LogisticRegression()).tuned_hyperparameters()
    # an unfitted search's report has no tuned section, and does not raise
    assert "Tuned" not in str(ParamInspector(GridSearchCV(SVC(), {"C": [1.0]})))


def test_a_forests_bootstrap_rows_are_data_not_learned_values(iris):
    X, y = iris
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    inspector = ParamInspector(forest)
    fitted = inspector.fitted_parameters().query("path == ''").set_index("name")
    assert fitted.loc["estimators_samples_", "kind"] == "data"
    # the header's count and the learned rows it lists agree
    learned = inspector.fitted_parameters().query("kind == 'learned' and not derived")
    assert inspector.n_learned() == learned["size"].sum()


def test_fitted_paths_read_as_attributes_and_hyperparameter_paths_as_keys():
    X = pd.DataFrame(
        {
            "num": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
            "cat": ["a", "b", "a", "c", "b", "a", "c", "b"],
        }
    )
    y = [0, 1, 0, 1, 0, 1, 0, 1]
    pre = ColumnTransformer(
        [("num", StandardScaler(), ["num"]), ("cat", OneHotEncoder(), ["cat"])]
    )
    forest = RandomForestClassifier(n_estimators=2, max_depth=2, random_state=0)
    pipe = Pipeline([("preprocess", pre), ("forest", forest)])
    search = GridSearchCV(pipe, {"forest__max_depth": [1, 2, 3, 4]}, cv=2).fit(X, y)
    inspector = ParamInspector(search)

    fitted = _fitted(inspector)
    assert fitted.loc[("", "best_estimator_"), "kind"] == "estimator"
    assert (
        fitted.loc[("best_estimator_.preprocess.transformers_[num]", "mean_"), "kind"]
        == "learned"
    )
    assert (
        fitted.loc[("best_estimator_.forest.estimators_[1]", "tree_"), "kind"]
        == "learned"
    )
    paths = set(fitted.index.get_level_values("path"))
    assert not any("__" in path for path in paths)

    text = str(inspector)
    page = inspector._repr_html_()
    report = json.dumps(inspector.to_dict())
    for shown in (text, page):
        assert "best_estimator_.preprocess.transformers_[num].mean_" in shown
        assert "best_estimator_.forest.estimators_[0].tree_" in shown
    for shown in (text, page, report):
        assert "___" not in shown

    # hyperparameters stay get_params keys, ready for set_params
    hyper = inspector.hyperparameters()
    assert "estimator__preprocess__num" in set(hyper["path"])
    assert "estimator__forest__max_depth" in _hyper_keys(inspector)
    assert "estimator__forest__max_depth" in text
    assert "estimator.forest" not in text
    assert "forest__n_estimators" in ParamInspector(pipe).search_space()
    assert list(inspector.tuned_hyperparameters()["hyperparameter"]) == [
        "forest__max_depth"
    ]
    # the same object reached twice is counted once, under its first path
    best = search.best_estimator_
    assert inspector.n_learned() == ParamInspector(best).n_learned()
    assert (
        inspector.n_learned()
        == sum(_tree_count(tree.tree_) for tree in best["forest"].estimators_)
        + 3 * 1
        + 3
    )  # scaler's mean, scale, var; encoder's three categories


def test_a_nested_pipeline_fitted_in_place_and_a_name_ending_with_underscore():
    X, y = make_classification(n_samples=30, n_features=4, random_state=0)
    inner = Pipeline([("scale", StandardScaler())])
    pipe = Pipeline([("prepare_", inner), ("clf", LogisticRegression())]).fit(X, y)
    inspector = ParamInspector(pipe)
    fitted = _fitted(inspector)
    assert fitted.loc[("clf", "coef_"), "kind"] == "learned"
    # get_params key prepare___scale: split after the step's own underscore
    assert fitted.loc[("prepare_.scale", "mean_"), "kind"] == "learned"
    assert "prepare___scale" in set(inspector.hyperparameters()["path"])
    assert "prepare_.scale.mean_" in str(inspector)
