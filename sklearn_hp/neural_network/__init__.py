"""Fully connected neural networks fitted by mini-batch gradient descent."""

from ._network import NeuralNetworkClassifier, NeuralNetworkRegressor

__all__ = ["NeuralNetworkClassifier", "NeuralNetworkRegressor"]
