"""Which values of an estimator are hyperparameters and which are learned.

And, of a fitted search, which hyperparameters mattered.
"""

from ._importance import hyperparameter_importances
from ._inspector import ParamInspector

__all__ = ["ParamInspector", "hyperparameter_importances"]
