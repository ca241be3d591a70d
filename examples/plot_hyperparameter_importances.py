"""
==============================
Which hyperparameters mattered
==============================

A search tries many candidates and keeps the best; the scores of all the
others say which hyperparameters moved the score, which did nothing, and
which act together. :func:`~sklearn_hp.hyperparameter_importances` reads a
fitted search's ``cv_results_`` and says it with numbers: the share of the
variance of the score each hyperparameter explains (a functional ANOVA of a
Gaussian process fitted to the scores), with an interval.

The model is a gradient-boosted tree ensemble on the breast cancer data set.
Of its five tuned hyperparameters, the learning rate and the number of
iterations set how far boosting goes; ``l2_regularization`` and
``max_leaf_nodes`` shape each tree; and ``scoring`` only names the metric
early stopping would watch, which is off here (``early_stopping=False``):
it cannot change anything, and the analysis should say so.
"""

# %%
# A search, read afterwards
# -------------------------

import matplotlib.pyplot as plt
import pandas as pd
from scipy.stats import loguniform, randint
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold

from sklearn_hp import (
    BayesSearchCV,
    ParamInspector,
    hyperparameter_importances,
    plot_importances,
)

X, y = load_breast_cancer(return_X_y=True)
model = HistGradientBoostingClassifier(early_stopping=False, random_state=0)
cv = StratifiedKFold(3, shuffle=True, random_state=0)
space = {
    "learning_rate": (1e-3, 1.0, "log-uniform"),
    "max_iter": (5, 200),
    "max_leaf_nodes": (2, 64),
    "l2_regularization": (1e-4, 10.0, "log-uniform"),
    "scoring": ["loss", "accuracy"],
}
search = BayesSearchCV(
    model, space, n_iter=40, cv=cv, scoring="neg_log_loss", random_state=0
).fit(X, y)

pd.set_option("display.width", 120)
table = hyperparameter_importances(search)
table.round(3)

# %%
# The learning rate explains most of the variance; ``scoring``, which early
# stopping would have used, explains none: its interval starts at zero.
# ``score_range`` says how much each one moves the score (here, the log
# loss) once the others are averaged out; ``best_value`` is its value in the
# best candidate. What the single hyperparameters leave unexplained is
# interaction, and the pairs say where:

print(f"left to interactions: {table.attrs['interactions'][0]:.0%}")
table.attrs["pairs"].head(3).round(3)

# %%
# The picture
# -----------
#
# The bars are the importances and their intervals; the heat map is the
# forest's mean score for each pair of values of the two hyperparameters
# that interact most, the others averaged out, with the candidates tried.

plot_importances(search)
plt.show()

# %%
# Any search
# ----------
#
# Only ``cv_results_`` is read: a random search of the same space, with
# scikit-learn's own tool, tells the same story.

random_search = RandomizedSearchCV(
    model,
    {
        "learning_rate": loguniform(1e-3, 1.0),
        "max_iter": randint(5, 201),
        "max_leaf_nodes": randint(2, 65),
        "l2_regularization": loguniform(1e-4, 10.0),
        "scoring": ["loss", "accuracy"],
    },
    n_iter=40,
    cv=cv,
    scoring="neg_log_loss",
    random_state=0,
).fit(X, y)
hyperparameter_importances(random_search)[
    ["hyperparameter", "importance", "importance_low", "importance_high"]
].round(3)

# %%
# In the inspector's report
# -------------------------
#
# :class:`~sklearn_hp.ParamInspector` of a fitted search ends its report
# with what the search tuned: the best value next to the default, and how
# much each mattered.

report = str(ParamInspector(search))
print(report[report.index("Tuned hyperparameters") :])
