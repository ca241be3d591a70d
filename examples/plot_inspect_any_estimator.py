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
# are inspected under ``best_estimator_``. A fitted attribute's path is
# dotted, from the search down to its owner: the steps under
# ``best_estimator_.preprocess`` and ``best_estimator_.forest``, the column
# transformer's fitted transformers under
# ``best_estimator_.preprocess.transformers_[numeric]``, the forest's trees
# under ``best_estimator_.forest.estimators_[i]``. Hyperparameters, above,
# keep their ``get_params`` keys (``estimator__forest__max_depth``).

fitted = inspector.fitted_parameters()
print(fitted.groupby("kind").size().to_string())
print()
print(fitted.query("path == ''")[["name", "kind", "type"]].to_string(index=False))

# %%
# What was learned, and where
# ---------------------------
# Each tree stores a feature and a threshold per split and a prediction per
# leaf; the scaler its means, variances and scales; the encoder its
# categories.

# Derived attributes (properties computed from stored ones, such as a forest's
# estimators_samples_) are not counted twice.
learned = fitted.query("kind == 'learned' and not derived").copy()
learned["owner"] = learned["path"].str.replace(
    r"estimators_\[\d+\]", "trees", regex=True
)
by_owner = learned.groupby("owner")["size"].sum().sort_values()
print(by_owner.to_string())
print(f"\nlearned values in total: {inspector.n_learned()}")

# %%
# One bar per fitted attribute, all the forest's trees in one: the trees hold
# almost everything the pipeline learned, the preprocessing a few numbers per
# column. The scale is logarithmic, each bar labelled with its count.

n_trees = len(search.best_estimator_.named_steps["forest"].estimators_)
# The chart names each owner by its step, the full paths are printed above.
short_owner = (
    learned["owner"]
    .str.removeprefix("best_estimator_.")
    .str.replace(r"preprocess\.transformers_\[(\w+)\]", r"\1 columns", regex=True)
    .str.replace("forest.trees", f"forest ({n_trees} trees)", regex=False)
)
by_attribute = learned.groupby([short_owner, "name"])["size"].sum()
by_attribute = by_attribute[by_attribute > 0].sort_values()

fig, ax = plt.subplots(figsize=(6.4, 3.2), layout="constrained")
bars = ax.barh([f"{owner}: {name}" for owner, name in by_attribute.index], by_attribute)
ax.bar_label(bars, padding=3)
ax.set_xscale("log")
ax.set_xlim(1, by_attribute.max() * 5)  # room for the last count
ax.set_xlabel("learned values (log scale)")
ax.set_title("What the best pipeline learned")
plt.show()

# %%
# A search space from the constraints
# -----------------------------------
# ``search_space`` derives scikit-optimize dimensions from the constraints
# scikit-learn validates parameters against; its keys are ``get_params``
# paths, ready for a search over the same pipeline.

space = ParamInspector(pipeline).search_space()
for name in ("forest__n_estimators", "forest__max_depth", "forest__criterion"):
    print(name, space.get(name))
