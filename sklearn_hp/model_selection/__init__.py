"""Bayesian hyperparameter search, a drop-in for scikit-learn's searches."""

from ._bayes import BayesSearchCV
from ._callbacks import NoImprovementStopper, TargetScoreStopper, TimeBudgetStopper

__all__ = [
    "BayesSearchCV",
    "NoImprovementStopper",
    "TargetScoreStopper",
    "TimeBudgetStopper",
]
