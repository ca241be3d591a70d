"""Bayesian hyperparameter search, a drop-in for scikit-learn's searches."""

from ._auto import suggest_space
from ._bayes import BayesSearchCV
from ._callbacks import NoImprovementStopper, TargetScoreStopper, TimeBudgetStopper

__all__ = [
    "BayesSearchCV",
    "NoImprovementStopper",
    "TargetScoreStopper",
    "TimeBudgetStopper",
    "suggest_space",
]
