"""The importance benchmark still runs (quick mode: no timing is checked)."""

import json
import math
import sys

import numpy as np
import pytest
from _common import load_benchmark

TABLES = {
    "synthetic truth",
    "synthetic",
    "real tasks",
    "real",
    "optuna",
    "stability",
    "methods",
}


@pytest.fixture(scope="module")
def module():
    return load_benchmark("importance")


@pytest.fixture(scope="module")
def quick(module, tmp_path_factory):
    """The quick run's tables, and the JSON file it wrote."""
    path = tmp_path_factory.mktemp("importance") / "quick.json"
    return module.main(["--quick", "--json", str(path)]), path


def _optuna_installed():
    try:
        import optuna  # noqa: F401
    except ImportError:
        return False
    return True


def _between(column, low, high):
    values = column.to_numpy(dtype=float)
    return bool(np.all((low <= values) & (values <= high)))


def test_the_true_shares_match_a_case_worked_by_hand(module):
    space = {
        "x": module.real(0.0, 1.0),
        "scale": module.real(1e-2, 1e2, log=True),
        "kind": module.categorical("a", "b"),
        "ignored": module.integer(1, 5),
    }

    def objective(values):
        kind = np.vectorize({"a": 0.0, "b": 1.0}.get, otypes=[float])
        return 2 * np.asarray(values["x"]) + kind(np.asarray(values["kind"]))

    shares, variance = module.true_shares(objective, space)
    # 2x on [0, 1]: 4/12; two categories 0 and 1: 1/4; nothing else
    assert variance == pytest.approx(4 / 12 + 1 / 4, rel=1e-3)
    assert shares["x"] == pytest.approx((4 / 12) / variance, rel=1e-3)
    assert shares["kind"] == pytest.approx((1 / 4) / variance, rel=1e-3)
    assert shares["scale"] == pytest.approx(0.0, abs=1e-12)
    assert shares["ignored"] == pytest.approx(0.0, abs=1e-12)


def test_the_grid_spans_every_range_and_category(module):
    grid = module.endpoint_grid(module.SYNTHETIC_SPACE, 100)
    assert grid["learning_rate"][0] == pytest.approx(1e-4)
    assert grid["learning_rate"][-1] == pytest.approx(1.0)
    assert grid["max_depth"][0] == 1
    assert grid["max_depth"][-1] == 10
    assert grid["loss"] == list(module.SYNTHETIC_SPACE["loss"].choices)
    assert math.prod(len(values) for values in grid.values()) <= 100
    assert all(len(values) >= 2 for values in grid.values())


def test_the_synthetic_model_scores_its_objective_plus_fixed_noise(module):
    quiet = module.SyntheticModel(learning_rate=0.01, max_depth=4, noise=0.0)
    values = {name: getattr(quiet, name) for name in module.SYNTHETIC_SPACE}
    assert quiet.score(None) == pytest.approx(module.synthetic_objective(values))
    noisy = module.SyntheticModel(learning_rate=0.01, max_depth=4, noise=0.5)
    assert noisy.score(None) == noisy.score(None) != quiet.score(None)


def test_quick_run_gives_every_table(module, quick):
    tables, path = quick
    assert set(tables) == TABLES
    written = json.loads(path.read_text())
    assert set(written["tables"]) == TABLES
    assert written["config"]["seeds"] == 1
    assert len(written["runs"]) == len(module.SEARCHES) * (
        len(module.QUICK.budgets) + len(module.QUICK.real_budgets)
    )


def test_synthetic_truth_is_computed_and_compared(module, quick):
    truth = quick[0]["synthetic truth"]
    assert set(truth["hyperparameter"]) == set(module.SYNTHETIC_SPACE)
    assert truth["true share"].is_monotonic_decreasing
    assert truth["true share"].sum() <= 1 + 1e-9
    shares = dict(zip(truth["hyperparameter"], truth["true share"]))
    assert shares["unused"] < 1e-9
    assert min(v for k, v in shares.items() if k != "unused") > module.INERT_LIMIT
    largest = max(module.QUICK.budgets)
    for search in module.SEARCHES:
        assert _between(truth[f"{search} @{largest}"], 0, 1)


def test_synthetic_table_has_a_row_per_search_and_budget(module, quick):
    table = quick[0]["synthetic"]
    assert list(zip(table["search"], table["budget"])) == [
        (search, budget)
        for search in module.SEARCHES
        for budget in module.QUICK.budgets
    ]
    assert (table["runs"] == 1).all()
    for column in (
        "true order",
        "relevant above inert",
        "inert < 5%",
        "max inert",
        "share MAE",
        "truth in interval",
        "width learning_rate",
    ):
        assert _between(table[column], 0, 1), column
    # the random and Bayesian searches get their budget; the grid at least 2
    # values per number and every category
    searched = table[table["search"] != "grid"]
    assert (searched["candidates"] == searched["budget"]).all()
    assert (table.loc[table["search"] == "grid", "candidates"] >= 2**4 * 3).all()


def test_real_table_reads_the_inert_hyperparameters(module, quick):
    tasks, table = quick[0]["real tasks"], quick[0]["real"]
    assert list(tasks["task"]) == list(module.QUICK.real_tasks)
    assert (tasks["rows"] <= module.QUICK.real_samples).all()
    assert list(zip(table["task"], table["search"])) == [
        (task, search) for task in module.QUICK.real_tasks for search in module.SEARCHES
    ]
    for column in ("max inert", "inert < 5%", "relevant first"):
        assert _between(table[column], 0, 1), column
    space = module.REAL_TASKS[module.QUICK.real_tasks[0]].space
    assert set(table["most often first"]) <= set(space)


def test_optuna_table_compares_ranks_when_optuna_is_installed(module, quick):
    table = quick[0]["optuna"]
    assert len(table) == len(module.SEARCHES) * (1 + len(module.QUICK.real_tasks))
    rho = ["rho ours ~ fANOVA", "rho ours ~ PED-ANOVA", "rho fANOVA ~ PED-ANOVA"]
    if _optuna_installed():
        for column in rho:
            values = table[column].to_numpy(dtype=float)
            assert np.all(np.isnan(values) | (np.abs(values) <= 1))
        assert (table[["fANOVA s", "PED-ANOVA s"]].to_numpy(dtype=float) > 0).all()
    else:
        assert (table[[*rho, "fANOVA s", "PED-ANOVA s"]] == "not installed").all(
            axis=None
        )
    assert (table["ours s"] > 0).all()


def test_stability_the_same_answer_twice(quick):
    table = quick[0]["stability"]
    for same in table["same twice"]:
        identical, total = same.split("/")
        assert identical == total
    assert set(table["shrinks"]) <= {"yes", "no", "n/a"}


def test_missing_optuna_is_recorded_not_raised(module, monkeypatch):
    # None in sys.modules makes every import of the module raise ImportError.
    monkeypatch.setitem(sys.modules, "optuna", None)
    tiny = module.Config(
        seeds=1,
        budgets=(12,),
        real_budgets=(12,),
        real_tasks=module.QUICK.real_tasks,
        real_samples=80,
    )
    monkeypatch.setattr(module, "QUICK", tiny)
    tables = module.main(["--quick"])
    assert set(tables) == TABLES
    table = tables["optuna"]
    columns = ["rho ours ~ fANOVA", "rho ours ~ PED-ANOVA", "rho fANOVA ~ PED-ANOVA"]
    assert (table[[*columns, "fANOVA s", "PED-ANOVA s"]] == "not installed").all(
        axis=None
    )
    assert (table["ours s"] > 0).all()
    assert len(tables["synthetic"]) == len(module.SEARCHES)
    assert set(tables["methods"]["method"]) == {"ours, GP", "ours, forest"}
    assert module.SEARCH.machine()["optuna"] == "not installed"


def test_methods_are_scored_against_the_same_truth(quick):
    table = quick[0]["methods"]
    methods = {"ours, GP", "ours, forest"}
    if quick[0]["optuna"]["rho ours ~ fANOVA"].iloc[0] != "not installed":
        methods |= {"Optuna fANOVA", "Optuna PED-ANOVA"}
    assert set(table["method"]) == methods
    for column in ("synthetic: inert < 5%", "real: inert < 5%"):
        assert table[column].between(0, 1).all()
    assert (table["synthetic: share MAE"] >= 0).all()
