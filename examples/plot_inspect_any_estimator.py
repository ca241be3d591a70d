"""
========================
Inspecting any estimator
========================

A fitted pipeline holds hyperparameters at every level, and learned
parameters in every fitted step. :class:`~sklearn_hp.ParamInspector` lists
both, for any estimator: here a grid search over a pipeline that preprocesses
numeric and categorical columns before a random forest.
"""

# %%
# A pipeline inside a search
# --------------------------
# The data: the Titanic-like mix of numeric and categorical columns is
# generated here, since the examples run without network access.

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sklearn_hp import ParamInspector

rng = np.random.RandomState(0)
n_samples = 300
X = pd.DataFrame(
    {
        "age": rng.normal(40, 12, n_samples),
        "fare": rng.lognormal(3, 1, n_samples),
        "class": rng.choice(["first", "second", "third"], n_samples),
        "port": rng.choice(["C", "Q", "S"], n_samples),
    }
)
y = ((X["age"] < 35) ^ (X["class"] == "first")).astype(int)

preprocess = ColumnTransformer(
    [
        ("numeric", StandardScaler(), ["age", "fare"]),
        ("categorical", OneHotEncoder(), ["class", "port"]),
    ]
)
pipeline = Pipeline(
    [("preprocess", preprocess), ("forest", RandomForestClassifier(random_state=0))]
)
search = GridSearchCV(
    pipeline,
    {"forest__n_estimators": [10, 30], "forest__max_depth": [2, 4]},
    cv=3,
)
search.fit(X, y)
inspector = ParamInspector(search)

# %%
# Hyperparameters
# ---------------
# One row per entry of ``get_params(deep=True)``. The template pipeline in
# ``estimator`` is never fitted itself: the search fits clones of it. Only two
# hyperparameters that have a default were changed; the others without one
# (the steps of the pipeline, the grid) are required arguments.

hyperparameters = inspector.hyperparameters()
changed = hyperparameters.query("has_default and not is_default")
print(f"{len(hyperparameters)} hyperparameters, {len(changed)} not at their default")
print(
    changed[["path", "name", "value", "default"]].to_string(
        index=False, max_colwidth=45
    )
)

# %%
# Fitted parameters
# -----------------
# The search selected hyperparameters (``best_params_``), kept a training
# record (``cv_results_``) and refitted the best pipeline, whose fitted steps
# are inspected under ``best_estimator_``: its steps under
# ``best_estimator___preprocess`` and ``best_estimator___forest`` (the
# ``get_params`` path of each step, after the attribute), the forest's trees
# under ``best_estimator___forest__estimators_[i]``.

fitted = inspector.fitted_parameters()
print(fitted.groupby("kind").size().to_string())
print()
print(fitted.query("path == ''")[["name", "kind", "type"]].to_string(index=False))

# %%
# What was learned, and where
# ---------------------------
# Each tree stores a feature and a threshold per split and a prediction per
# leaf; the scaler its means and scales; the encoder its categories.

# Derived attributes (properties computed from stored ones, such as a forest's
# estimators_samples_) are not counted twice.
learned = fitted.query("kind == 'learned' and not derived").copy()
learned["owner"] = learned["path"].str.replace(
    r"estimators_\[\d+\]", "trees", regex=True
)
by_owner = learned.groupby("owner")["size"].sum().sort_values()
print(by_owner.to_string())
print(f"\nlearned values in total: {inspector.n_learned()}")

fig, ax = plt.subplots(figsize=(7, 3))
by_owner.plot.barh(ax=ax)
ax.set_xscale("log")
ax.set_xlabel("learned values")
ax.set_title("Where the grid search's best pipeline keeps what it learned")
fig.tight_layout()

# %%
# A search space from the constraints
# -----------------------------------
# ``search_space`` derives scikit-optimize dimensions from the constraints
# scikit-learn validates parameters against; its keys are ``get_params``
# paths, ready for a search over the same pipeline.

space = ParamInspector(pipeline).search_space()
for name in ("forest__n_estimators", "forest__max_depth", "forest__criterion"):
    print(name, space.get(name))
