"""Which values of an estimator are hyperparameters and which are learned."""

from ._inspector import ParamInspector

__all__ = ["ParamInspector"]
