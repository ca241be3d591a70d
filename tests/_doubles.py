"""Stand-ins the tests share: a model of known quality, a callback recorder."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


class NoisyScore(ClassifierMixin, BaseEstimator):
    """Scores ``quality`` plus a little fold noise; counts its fits."""

    n_fits = 0

    def __init__(self, quality=0.5):
        self.quality = quality

    def fit(self, X, y):
        type(self).n_fits += 1
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        noise = np.random.RandomState(len(X) + int(X[0, 0] * 1000) % 97).normal()
        return self.quality + 0.01 * noise


class CallbackRecorder:
    """A scikit-learn callback (>= 1.9) that records the tasks begun and ended."""

    def __init__(self):
        self.begun, self.ended = [], []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        self.begun.append(context.task_name)

    def on_fit_task_end(self, estimator, context, **kwargs):
        self.ended.append(context.task_name)
