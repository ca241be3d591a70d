"""scikit-learn's search tests, run with BayesSearchCV as both of its searches.

scikit-learn's ``model_selection/tests/test_search.py`` is imported a second
time, under a name of its own, while ``sklearn.model_selection.GridSearchCV``
and ``RandomizedSearchCV`` are ``BayesSearchCV`` itself, unchanged: the tests
build it with GridSearchCV's and RandomizedSearchCV's arguments, positional
or by keyword (``param_grid=``, ``param_distributions=``), as a user who only
changes the class name does. scikit-learn is restored right after. Every name
the copy binds on import (its own imports, the arguments of its
``pytest.mark.parametrize``, the searches it builds at module level) is thus
``BayesSearchCV``. Its tests that use either search are collected here; those
on ParameterGrid, ParameterSampler or the halving searches alone are not.
"""

import ast
import importlib
import importlib.util
import os
import sys
import types

import joblib
import pytest
import sklearn
import sklearn.model_selection
from sklearn.utils.fixes import parse_version
from threadpoolctl import threadpool_limits

from sklearn_hp import BayesSearchCV

SKLEARN_TESTS = "sklearn.model_selection.tests.test_search"

# The names the copy of scikit-learn's tests sees, and what they stand for.
ADAPTERS = {"GridSearchCV": BayesSearchCV, "RandomizedSearchCV": BayesSearchCV}

# Test name -> why it fails by design: it depends on the candidates a search
# walks or draws, or on what BayesSearchCV deliberately does differently.
EXPECTED_FAILURES = {
    "test_grid_search_classifier_all_fits_fail": (
        "the grid lists the failing value 3 times and the test expects 'All the 15 "
        "fits failed'; BayesSearchCV evaluates the identical candidates once (5 fits)"
    ),
    "test_callable_multimetric_clf_all_fits_fail": (
        "the grid lists the failing value 3 times and the test expects 'All the 15 "
        "fits failed'; BayesSearchCV evaluates the identical candidates once (5 fits)"
    ),
    "test_grid_search_cv_splits_consistency": (
        "reads 4 candidates of the grid C=[0.1, 0.1, 0.2, 0.2], of which "
        "BayesSearchCV evaluates the 2 distinct ones"
    ),
    "test_custom_run_search": (
        "compares every fitted attribute of the grid search with those of a plain "
        "BaseSearchCV subclass; BayesSearchCV has two more, optimizer_results_ and "
        "search_info_ (what it knows beyond cv_results_)"
    ),
    "test_search_with_2d_array": (
        "expects the 3 candidates ParameterSampler draws with random_state=0, in "
        "its order; BayesSearchCV's optimizer proposes its own"
    ),
    **(
        {
            "test_random_search_bad_cv": (
                "scikit-learn < 1.9 says 'cv.split and cv.get_n_splits returned "
                "inconsistent results'; BayesSearchCV words it as 1.9 does, 'return'"
            )
        }
        if parse_version(sklearn.__version__) < parse_version("1.9")
        else {}
    ),
}


def _import_dependencies(tree):
    """Import, unpatched, what a module's source imports at its top level.

    A module imported for the first time by the copy would bind the adapters
    for good.
    """
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            __import__(node.module, fromlist=[alias.name for alias in node.names])


def _register_marks(tree):
    """Register the marks the source uses that scikit-learn's conftest registers.

    ``thread_unsafe`` and others are registered there when pytest-run-parallel
    is not installed; ``--strict-markers`` fails on them. A test module has no
    public handle on pytest's configuration: ``pytest.mark`` holds it.
    """
    config = getattr(pytest.mark, "_config", None)
    if config is None:
        return
    known = {
        line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "mark"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "pytest"
            and node.attr not in known
        ):
            config.addinivalue_line("markers", f"{node.attr}: scikit-learn's mark")
            known.add(node.attr)


def _import_with_adapters(name, copy_name):
    """Import module ``name`` again as ``copy_name``, seeing the adapters."""
    origin = importlib.util.find_spec(name).origin
    spec = importlib.util.spec_from_file_location(copy_name, origin)
    module = importlib.util.module_from_spec(spec)
    tree = ast.parse(spec.loader.get_source(copy_name))
    _import_dependencies(tree)
    _register_marks(tree)
    originals = {attr: getattr(sklearn.model_selection, attr) for attr in ADAPTERS}
    # Registered, so that pickle finds the classes the copy defines.
    sys.modules[copy_name] = module
    try:
        for attr, adapter in ADAPTERS.items():
            setattr(sklearn.model_selection, attr, adapter)
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[copy_name]
        raise
    finally:
        for attr, original in originals.items():
            setattr(sklearn.model_selection, attr, original)
    return module


def _uses_names(code, names):
    return bool(names & set(code.co_names)) or any(
        _uses_names(const, names)
        for const in code.co_consts
        if isinstance(const, types.CodeType)
    )


def _searches_with_adapters(test):
    """Whether a test names a search in its code or is parametrized with one."""
    if _uses_names(test.__code__, set(ADAPTERS)):
        return True
    adapters = tuple(ADAPTERS.values())
    for mark in getattr(test, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        argvalues = mark.args[1] if len(mark.args) > 1 else mark.kwargs.get("argvalues")
        if not isinstance(argvalues, list | tuple):
            continue  # an iterator, which only pytest may consume
        for argvalue in argvalues:
            values = getattr(argvalue, "values", argvalue)  # a pytest.param's
            if not isinstance(values, tuple):
                values = (values,)
            if any(
                isinstance(value, adapters) or any(value is a for a in adapters)
                for value in values
            ):
                return True
    return False


# A child of this module's name: a process that unpickles one of its classes
# imports this module, which registers the copy.
_sklearn_tests = _import_with_adapters(SKLEARN_TESTS, f"{__name__}.sklearn_tests")
globals().update(
    {
        name: test
        for name, test in vars(_sklearn_tests).items()
        if name.startswith("test_")
        and isinstance(test, types.FunctionType)
        and _searches_with_adapters(test)
    }
)


@pytest.fixture(autouse=True)
def _expected_failure(request):
    reason = EXPECTED_FAILURES.get(request.node.name)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.fixture(autouse=True)
def _threads_shared_among_workers():
    # As scikit-learn's conftest does: pytest-xdist workers share the cores,
    # and BLAS or OpenMP threads of one that wait spinning starve the others.
    n_workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    n_cores = joblib.cpu_count(only_physical_cores=True)
    with threadpool_limits(max(n_cores // n_workers, 1)):
        yield
