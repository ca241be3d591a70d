"""Bayesian hyperparameter search, a drop-in for scikit-learn's searches."""

from ._auto import suggest_space
from ._bayes import BayesSearchCV
from ._callbacks import NoImprovementStopper, TargetScoreStopper, TimeBudgetStopper
from ._halving_search import HalvingBayesSearchCV

__all__ = [
    "BayesSearchCV",
    "HalvingBayesSearchCV",
    "NoImprovementStopper",
    "TargetScoreStopper",
    "TimeBudgetStopper",
    "suggest_space",
]
