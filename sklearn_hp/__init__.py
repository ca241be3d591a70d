"""Hyperparameters vs learned parameters, made concrete.

Estimators written in the scikit-learn convention, in which hyperparameters
are the constructor arguments and learned parameters the fitted attributes
that end with an underscore.
"""

from ._plotting import (
    plot_convergence,
    plot_importances,
    plot_objective,
    plot_param_scores,
)
from ._progress import ProgressBar
from .inspection import ParamInspector, hyperparameter_importances
from .linear_model import GradientDescentClassifier, GradientDescentRegressor
from .model_selection import (
    BayesSearchCV,
    HalvingBayesSearchCV,
    NoImprovementStopper,
    TargetScoreStopper,
    TimeBudgetStopper,
    suggest_space,
)
from .neighbors import KNearestNeighborsClassifier
from .neural_network import NeuralNetworkClassifier, NeuralNetworkRegressor

__version__ = "0.1.0.dev0"

__all__ = [
    "BayesSearchCV",
    "GradientDescentClassifier",
    "GradientDescentRegressor",
    "HalvingBayesSearchCV",
    "KNearestNeighborsClassifier",
    "NeuralNetworkClassifier",
    "NeuralNetworkRegressor",
    "NoImprovementStopper",
    "ParamInspector",
    "ProgressBar",
    "TargetScoreStopper",
    "TimeBudgetStopper",
    "__version__",
    "hyperparameter_importances",
    "plot_convergence",
    "plot_importances",
    "plot_objective",
    "plot_param_scores",
    "suggest_space",
]
