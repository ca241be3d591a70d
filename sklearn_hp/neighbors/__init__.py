"""Nearest-neighbour models: what they learn is the training data."""

from ._classification import KNearestNeighborsClassifier

__all__ = ["KNearestNeighborsClassifier"]
