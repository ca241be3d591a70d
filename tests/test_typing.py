"""Every public function and method of the package says what it returns."""

import inspect

import pytest

import sklearn_hp

# Called by users although named as special methods: a stopper or a progress
# bar is called by the search, and a class is created.
_SPECIAL = ("__init__", "__call__")


def _function(value):
    """The function behind a class attribute, or None if it is not one."""
    if isinstance(value, (staticmethod, classmethod)):
        return value.__func__
    if isinstance(value, property):
        return value.fget
    # scikit-learn's available_if keeps the method in ``fn``
    if callable(getattr(value, "fn", None)):
        return value.fn
    return value if inspect.isfunction(value) else None


def _public_callables():
    """``(name, function)`` of every public function and method of the package.

    A method counts where the class that defines it first along the MRO is
    one of the package's, private bases included; methods scikit-learn
    defines (``score``, ``get_params``, the ``set_*_request`` it generates)
    are its own to annotate.
    """
    found = []
    for name in sklearn_hp.__all__:
        exported = getattr(sklearn_hp, name)
        if inspect.isfunction(exported):
            found.append((name, exported))
        if not inspect.isclass(exported):
            continue
        seen = set()
        for cls in exported.__mro__:
            for attribute, value in vars(cls).items():
                if attribute in seen:
                    continue
                seen.add(attribute)
                if attribute.startswith("_") and attribute not in _SPECIAL:
                    continue
                function = _function(value)
                if function is None or not function.__module__.startswith("sklearn_hp"):
                    continue
                found.append((f"{name}.{attribute}", function))
    return found


PUBLIC = _public_callables()


def test_the_walk_finds_inherited_methods_and_skips_scikit_learn_ones():
    names = {name for name, _ in PUBLIC}
    assert {
        "BayesSearchCV.fit",
        "BayesSearchCV.__init__",
        "BayesSearchCV.optimizer_results_",
        "NeuralNetworkClassifier.predict_proba",
        "GradientDescentRegressor.partial_fit",
        "ParamInspector.fitted_parameters",
        "TimeBudgetStopper.__call__",
        "hyperparameter_importances",
        "plot_convergence",
    } <= names
    assert "BayesSearchCV.score" not in names
    assert "GradientDescentClassifier.set_score_request" not in names


@pytest.mark.parametrize(
    "function", [f for _, f in PUBLIC], ids=[name for name, _ in PUBLIC]
)
def test_return_type_is_annotated(function):
    returned = inspect.signature(function).return_annotation
    assert returned is not inspect.Signature.empty
    if function.__name__ == "__init__":
        assert returned in (None, "None")


@pytest.mark.parametrize(
    "function", [f for _, f in PUBLIC], ids=[name for name, _ in PUBLIC]
)
def test_parameters_are_annotated(function):
    parameters = list(inspect.signature(function).parameters.values())
    if parameters and parameters[0].name in ("self", "cls"):
        parameters = parameters[1:]
    missing = [p.name for p in parameters if p.annotation is inspect.Parameter.empty]
    assert not missing
