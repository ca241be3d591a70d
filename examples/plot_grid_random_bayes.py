"""
========================================
Tuning: grid, random and Bayesian search
========================================

Three ways to choose the hyperparameters of one model, with the same budget
of candidates and the same cross-validation splits:

- :class:`~sklearn.model_selection.GridSearchCV` tries every point of a grid;
- :class:`~sklearn.model_selection.RandomizedSearchCV` draws candidates at
  random from distributions;
- :class:`~sklearn_hp.BayesSearchCV` fits a model of the score to the
  candidates seen so far and proposes the next where it expects the most.

The model is an RBF support vector machine on the digits data set, whose
two hyperparameters ``C`` and ``gamma`` each matter over several orders of
magnitude.
"""

# %%
# One budget, three searches
# --------------------------

import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_hp import BayesSearchCV, plot_convergence

X, y = load_digits(return_X_y=True)
X, y = X[::3], y[::3]  # a third of the data keeps the example fast
pipeline = make_pipeline(StandardScaler(), SVC())
cv = StratifiedKFold(3, shuffle=True, random_state=0)
n_iter = 25

grid = GridSearchCV(
    pipeline,
    {"svc__C": np.logspace(-2, 3, 5), "svc__gamma": np.logspace(-5, 0, 5)},
    cv=cv,
)
distributions = {"svc__C": loguniform(1e-2, 1e3), "svc__gamma": loguniform(1e-5, 1)}
random = RandomizedSearchCV(
    pipeline, distributions, n_iter=n_iter, cv=cv, random_state=0
)
bayes = BayesSearchCV(pipeline, distributions, n_iter=n_iter, cv=cv, random_state=0)

for search in (grid, random, bayes):
    search.fit(X, y)
    print(
        f"{type(search).__name__:20s} {len(search.cv_results_['params'])} candidates, "
        f"best CV accuracy {search.best_score_:.4f}"
    )

# %%
# Convergence
# -----------
# The best score so far after each candidate. The grid's order is the grid's
# (all of ``gamma`` for the first ``C``, then the next ``C``); the random
# search's is the order of its draws; the Bayesian search's first candidates
# are random too, then each one comes from what the others scored.

ax = plot_convergence(grid, random, bayes)
ax.set_ylim(0.9, 1.0)
plt.show()

# %%
# Where each search looked
# ------------------------
# The candidates of each search in the (C, gamma) plane, coloured by their
# score: the grid spreads its budget evenly, the random search at random,
# the Bayesian search gathers around the best region once it has found it.

fig, axes = plt.subplots(
    2, 2, figsize=(7.2, 6.4), sharex=True, sharey=True, layout="constrained"
)
for ax, search in zip(axes.flat, (grid, random, bayes)):
    results = search.cv_results_
    points = ax.scatter(
        np.asarray(results["param_svc__C"], dtype=float),
        np.asarray(results["param_svc__gamma"], dtype=float),
        c=results["mean_test_score"],
        vmin=0.5,
        vmax=1.0,
        cmap="viridis",
        s=45,
        edgecolors="black",
        linewidths=0.5,
    )
    ax.set(xscale="log", yscale="log", title=type(search).__name__)
    ax.set(xlabel="C", ylabel="gamma")
    ax.label_outer()
# The upper right panel has none below it: it shows its own C axis.
axes[0, 1].tick_params(labelbottom=True)
axes[0, 1].set_xlabel("C")
# The fourth cell holds the colour bar.
axes[1, 1].set_axis_off()
colour_bar_axes = axes[1, 1].inset_axes([0.05, 0.6, 0.9, 0.08])
fig.colorbar(
    points,
    cax=colour_bar_axes,
    orientation="horizontal",
    label="mean CV accuracy (0.5 or less: darkest)",
)
plt.show()

# %%
# When each search wins
# ---------------------
# A grid is exhaustive and easy to read, but its cost multiplies with every
# hyperparameter and it only ever tries the values written down. A random
# search spends the same budget on more distinct values of each
# hyperparameter, which is why it beats a grid when only a few of them
# matter. A Bayesian search spends a little time between candidates to
# choose them, and pays that back whenever fits cost more than that time,
# which :class:`~sklearn_hp.BayesSearchCV` keeps to milliseconds.
