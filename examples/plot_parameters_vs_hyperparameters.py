"""
=====================================
Hyperparameters vs learned parameters
=====================================

A model holds two kinds of numbers. **Hyperparameters** are chosen before
training: they are the constructor arguments, such as ``learning_rate``,
``max_iter``, ``hidden_layer_sizes`` or ``n_neighbors``, and ``fit`` never
changes them. **Learned parameters** are what ``fit`` computes from the data:
the fitted attributes whose names end with an underscore, such as ``coef_``.

This example fits three classifiers on growing shares of one training set and
counts the values each has learned. The hyperparameters stay as they were
set; the number of learned values stays fixed for the two parametric models
and grows with the data for k-nearest neighbours, which is non-parametric.
"""

# %%
# The data
# --------
# The digits data set ships with scikit-learn: 1,797 images of 8 x 8 pixels,
# so 64 features, of the 10 digits. A quarter is kept aside to measure the
# test accuracy. The features are standardised, because a single
# ``learning_rate`` suits gradient descent only when the features have
# comparable scales.

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklearn_hp import (
    GradientDescentClassifier,
    KNearestNeighborsClassifier,
    NeuralNetworkClassifier,
)

# Show the hyperparameters in full in the tables below.
pd.set_option("display.max_colwidth", None)

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
print(f"training samples: {len(y_train)}, test samples: {len(y_test)}")
print(f"features: {X_train.shape[1]}, classes: {len(set(y_train))}")

# %%
# The scaler has learned parameters too: the mean and standard deviation of
# each feature (``scaler.mean_`` and ``scaler.scale_``, 2 x 64 values). They
# are the same for the three models below, so the counts leave them out.
#
# The hyperparameters
# -------------------
# Each model is set up once, before it sees any data. Its hyperparameters are
# what ``get_params()`` returns; the table below shows a few of them. The
# network gets a hidden layer of 20 units, and a learning rate ten times its
# default: with the default, it is still improving when it reaches
# ``max_iter`` epochs.

models = {
    "GradientDescentClassifier": GradientDescentClassifier(random_state=0),
    "NeuralNetworkClassifier": NeuralNetworkClassifier(
        hidden_layer_sizes=(20,), learning_rate=0.01, random_state=0
    ),
    "KNearestNeighborsClassifier": KNearestNeighborsClassifier(n_neighbors=5),
}
shown_hyperparameters = {
    "GradientDescentClassifier": ["learning_rate", "batch_size", "max_iter", "alpha"],
    "NeuralNetworkClassifier": [
        "hidden_layer_sizes",
        "learning_rate",
        "max_iter",
        "alpha",
    ],
    "KNearestNeighborsClassifier": ["n_neighbors", "weights", "p"],
}


def describe_hyperparameters(model, names):
    """A few hyperparameters of ``model`` as ``name=value`` text."""
    params = model.get_params()
    return ", ".join(f"{name}={params[name]!r}" for name in names)


# %%
# The learned parameters
# ----------------------
# Where each model keeps what it has learned:
#
# - :class:`~sklearn_hp.GradientDescentClassifier` is a linear model: one
#   weight per feature and class in ``coef_``, one bias per class in
#   ``intercept_``.
# - :class:`~sklearn_hp.NeuralNetworkClassifier` keeps one weight matrix per
#   layer in ``coefs_`` and one bias vector per layer in ``intercepts_``;
#   their shapes follow from ``hidden_layer_sizes`` and the numbers of
#   features and classes.
# - :class:`~sklearn_hp.KNearestNeighborsClassifier` optimises nothing: it
#   stores the training samples in ``X_fit_`` and their classes in ``y_fit_``
#   and looks them up at prediction time.


def count_learned_values(model):
    """Number of values that ``fit`` stored in the learned attributes."""
    if hasattr(model, "coef_"):
        return model.coef_.size + model.intercept_.size
    if hasattr(model, "coefs_"):
        return sum(coef.size for coef in model.coefs_) + sum(
            intercept.size for intercept in model.intercepts_
        )
    return model.X_fit_.size + model.y_fit_.size


# %%
# Fitting on more and more data
# -----------------------------
# Each model is fitted on the first 10%, 25%, 50% and all of the training
# set, which comes shuffled out of ``train_test_split``. scikit-learn's
# ``clone`` copies the hyperparameters of a model and none of its learned
# parameters, so every fit starts from scratch. Even the smallest share holds
# all ten digits, so the linear model and the network always have ten outputs
# (a share that lacked a class would give them fewer).

rows = []
for fraction in (0.1, 0.25, 0.5, 1.0):
    n_samples = round(fraction * len(y_train))
    X_part, y_part = X_train[:n_samples], y_train[:n_samples]
    for name, model in models.items():
        fitted = clone(model).fit(X_part, y_part)
        rows.append(
            {
                "model": name,
                "hyperparameters": describe_hyperparameters(
                    fitted, shown_hyperparameters[name]
                ),
                "training samples": n_samples,
                "learned values": count_learned_values(fitted),
                "test accuracy": round(fitted.score(X_test, y_test), 3),
            }
        )
results = pd.DataFrame(rows)
results

# %%
# The hyperparameters read the same in every row: the data never changes
# them. The number of learned values is easier to compare side by side:

results.pivot(index="model", columns="training samples", values="learned values")

# %%
# - The linear model learns 64 x 10 weights and 10 biases: 650 values.
# - The network learns 64 x 20 + 20 values for its hidden layer and 20 x 10 +
#   10 for its output layer: 1,510 values. Its hyperparameter
#   ``hidden_layer_sizes`` decides that number.
# - k-nearest neighbours stores 64 + 1 values per training sample, so its
#   count is proportional to the size of the training set; its
#   hyperparameter ``n_neighbors`` only says how many stored samples vote.
#
# The plot shows the same on a logarithmic scale.

fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
for name, group in results.groupby("model", sort=False):
    ax.plot(group["training samples"], group["learned values"], marker="o", label=name)
ax.set_yscale("log")
ax.set_xlabel("Number of training samples")
ax.set_ylabel("Number of learned values")
ax.set_title("Parametric models have a fixed size, k-NN grows with the data")
ax.legend()
plt.show()

# %%
# What to take away
# -----------------
# - Hyperparameters are set by you, before training; learned parameters are
#   set by ``fit``, from the data. In scikit-learn's convention the first are
#   constructor arguments and the second attributes ending in ``_``.
# - A parametric model has a number of learned values fixed in advance by
#   its hyperparameters and the shape of the data (features and classes),
#   not by the number of samples. More data changes their values, not their
#   count.
# - A non-parametric model such as k-NN grows with the training set: it is
#   cheap to fit, but its memory and prediction time grow with every sample.
# - The number of learned values is not a measure of quality: on these data
#   the three models reach similar test accuracies.
