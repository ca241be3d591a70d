"""scikit-learn's estimator checks over every estimator the package ships."""

import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.estimator_checks import parametrize_with_checks

from tests._estimators import all_estimators


def test_all_estimators_found():
    names = {cls.__name__ for cls in all_estimators()}
    assert names == {
        "GradientDescentClassifier",
        "GradientDescentRegressor",
        "KNearestNeighborsClassifier",
        "NeuralNetworkClassifier",
        "NeuralNetworkRegressor",
    }


# Default settings, no expected failures. The checks train on tiny data sets,
# where an epoch budget can run out before the loss stops improving.
@parametrize_with_checks([cls() for cls in all_estimators()])
@pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
