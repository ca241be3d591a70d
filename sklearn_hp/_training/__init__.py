"""Training machinery shared by the gradient-trained estimators."""

from ._base import BaseGradientClassifier, BaseGradientDescent, BaseGradientRegressor
from ._docstrings import fill_training_docstring
from ._network import HIDDEN_ACTIVATIONS, DenseNetwork

__all__ = [
    "HIDDEN_ACTIVATIONS",
    "BaseGradientClassifier",
    "BaseGradientDescent",
    "BaseGradientRegressor",
    "DenseNetwork",
    "fill_training_docstring",
]
