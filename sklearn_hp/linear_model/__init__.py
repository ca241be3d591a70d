"""Linear models fitted by mini-batch gradient descent."""

from ._gradient_descent import GradientDescentClassifier, GradientDescentRegressor

__all__ = ["GradientDescentClassifier", "GradientDescentRegressor"]
