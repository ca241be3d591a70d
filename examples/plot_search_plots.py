"""
Reading the plots of a Bayesian search
======================================

A fitted search holds more than its best candidate: the score of every
candidate it tried, in the order it tried them, and, for
:class:`~sklearn_hp.BayesSearchCV`, the model of the score that chose them.
Three plots read them: :func:`~sklearn_hp.plot_convergence` (how fast the
search found a good candidate), :func:`~sklearn_hp.plot_param_scores`
(every candidate's score against each hyperparameter) and
:func:`~sklearn_hp.plot_objective` (what the search's model of the score
predicts over the whole space).

The search tunes a support vector machine on the digits data set: ``C`` and
``gamma`` over several orders of magnitude, and the kernel, a category.
"""

# %%
# One small search
# ----------------
# Fifteen candidates, each scored by two-fold cross-validation: thirty fits.
# The first five candidates are spread evenly over each range (a Latin
# hypercube); each next one is where the search's model of the score expects
# the most.

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import SVC

from sklearn_hp import (
    BayesSearchCV,
    plot_convergence,
    plot_objective,
    plot_param_scores,
)

X, y = load_digits(return_X_y=True)
search = BayesSearchCV(
    SVC(),
    {
        "C": (1e-2, 1e3, "log-uniform"),
        "gamma": (1e-5, 1e-1, "log-uniform"),
        "kernel": ["rbf", "sigmoid"],
    },
    n_iter=15,
    cv=StratifiedKFold(2, shuffle=True, random_state=0),
    scoring="accuracy",
    random_state=0,
)
search.fit(X, y)
print(f"best accuracy {search.best_score_:.3f} with {search.best_params_}")

# %%
# Convergence
# -----------
# The best mean test accuracy found so far, after each candidate. A step up
# is a candidate better than all before it; a flat end, candidates that found
# nothing better. A curve still climbing at its end says a larger budget
# (``n_iter``) would likely pay; one flat from early on, that the search had
# found its best soon, or that it kept to one region. Several searches drawn
# on one axes compare how fast each one gets there.

ax = plot_convergence(search)
plt.show()

# %%
# Every candidate's score
# -----------------------
# One panel per hyperparameter, one dot per candidate, sharing the accuracy
# axis: what each candidate was given and how it scored. ``C`` and ``gamma``
# span several decades, so their axes are logarithmic; the kernel is a
# category, one column of dots per kernel. A hyperparameter that matters
# shows a pattern (here, ``gamma``: too large and the accuracy collapses);
# one that does not shows dots at every height. The dots gather where the
# search spent its budget, near the best values; a region with no dot was
# never tried.

axes = plot_param_scores(search)
plt.show()

# %%
# The search's model of the score
# -------------------------------
# What the Gaussian process the search fitted to the scores predicts, each
# hyperparameter or pair of them set and the others averaged out (a partial
# dependence). On the diagonal, the predicted accuracy against each
# hyperparameter, with the candidates evaluated as ticks along the bottom and
# the best one as a red dashed line; the kernel, a category, has a point per
# kernel. Below, a map per pair, coloured by the predicted accuracy (the
# colour bar, yellow is best), with the candidates evaluated as dots and the
# best as a star; a pair with the kernel is drawn as one band per kernel.
#
# Averaged over the other hyperparameters, the predictions are lower than the
# best scores: read these plots for where the score is high and how the
# hyperparameters interact (the bright band of the ``C`` - ``gamma`` map
# runs along a diagonal: a larger ``C`` goes with a smaller ``gamma``), not
# for the score to expect. Far from every dot, the map shows the model's
# guess, not a measurement.

ax = plot_objective(search)
plt.show()
