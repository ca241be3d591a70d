"""The search benchmark still runs (tiny tasks and budgets: no timing is checked)."""

import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from _common import load_benchmark
from joblib import parallel_config
from scipy.stats import ttest_1samp
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import Ridge
from sklearn.tree import DecisionTreeClassifier

from sklearn_hp.model_selection._asynchronous import supported as asynchronous_supported

# the tables made from table 1's runs
TABLE_ONE = {
    "quality",
    "summary",
    "evaluations to Random's best",
    "paired",
    "paired by task",
}


@pytest.fixture(scope="module")
def benchmark_module():
    module = load_benchmark("search")
    return module


@pytest.fixture
def tiny(benchmark_module, monkeypatch):
    """Two tiny tasks, covering every kind of dimension, and tiny budgets."""
    module = benchmark_module
    tasks = {
        "tiny regression": module.Task(
            "regression",
            lambda: make_regression(n_samples=60, n_features=4, random_state=0),
            lambda seed: Ridge(),
            {
                "alpha": module.real(1e-3, 1e2, log=True),
                "fit_intercept": module.categorical(True, False),
            },
            "r2",
        ),
        "tiny classification": module.Task(
            "classification",
            lambda: make_classification(n_samples=60, n_features=4, random_state=0),
            lambda seed: DecisionTreeClassifier(random_state=seed),
            {
                "max_depth": module.integer(1, 4),
                "min_weight_fraction_leaf": module.real(0.0, 0.3),
                "criterion": module.categorical("gini", "entropy"),
            },
            "accuracy",
        ),
    }
    monkeypatch.setattr(module, "TASKS", tasks)
    monkeypatch.setattr(
        module,
        "QUICK",
        module.Config(
            tasks=tuple(tasks),
            n_iter=4,
            seeds=1,
            overhead_tasks=("tiny regression",),
            overhead_iterations=(3, 4),
            skopt_overhead_iterations=(3,),
            overhead_seeds=2,
            # the tiny tasks exist in this process only
            overhead_processes=False,
            parallel_task="tiny classification",
            parallel_n_iter=2,
            utilisation_workers=(2,),
            utilisation_n_iter=4,
            utilisation_dask=("threads",) if _has_dask() else (),
        ),
    )
    return module


def test_every_table_has_a_row_per_tool_and_task(tiny, tmp_path, capsys):
    path = tmp_path / "search.json"
    tables = tiny.main(["--quick", "--tables", "1,2,3", "--json", str(path)])

    quality = tables["quality"]
    assert len(quality) == len(tiny.TOOLS) * 2
    assert set(quality["tool"]) == set(tiny.TOOLS)
    assert {
        "task",
        "tool",
        "status",
        "best CV",
        "test",
        "wall s",
        "fit+score s",
        "overhead s",
        "overhead/iter s",
    } <= set(quality)
    optuna_installed = tiny._version("optuna_integration") != "not installed"
    for tool, status in zip(quality["tool"], quality["status"]):
        expected = "ok" if tool != tiny.OPTUNA or optuna_installed else "not installed"
        assert status == expected, (tool, status)
    ran = (quality["tool"] != tiny.GRID) & (quality["status"] == "ok")
    assert quality.loc[ran, "candidates"].eq(4).all()

    assert list(tables["summary"]["tool"]) == list(tiny.TOOLS)
    assert "reached Random's best" in tables["summary"]
    reach = tables["evaluations to Random's best"]
    assert len(reach) == 2
    assert set(tiny.BAYESIAN) - {tiny.BASELINE} <= set(reach)
    paired = tables["paired"]
    assert list(paired["ours against"]) == list(tiny.TOOLS[1:])
    ran = dict(zip(quality["tool"], quality["status"]))
    for tool, pairs in zip(paired["ours against"], paired["pairs"]):
        assert pairs == (2 if ran[tool] == "ok" else 0)
    by_task = tables["paired by task"]
    assert len(by_task) == 2 * len(paired)
    assert by_task.groupby("ours against", sort=False)["pairs"].sum().to_dict() == (
        dict(zip(paired["ours against"], paired["pairs"]))
    )

    overhead = tables["overhead"]
    assert list(zip(overhead["tool"], overhead["n_iter"])) == [
        (tiny.OURS, 3),
        (tiny.OURS, 4),
        (tiny.OPTUNA, 3),
        (tiny.OPTUNA, 4),
        (tiny.RANDOM, 3),
        (tiny.RANDOM, 4),
        (tiny.SKOPT, 3),
    ]
    ran = overhead["status"] == "ok"
    assert overhead.loc[ran, "seeds"].eq(2).all()
    assert {"median overhead/iter s", "median propose/iter s"} <= set(overhead)
    comparison = tables["overhead comparison"]
    assert set(comparison["ours against"]) <= {tiny.OPTUNA, tiny.RANDOM, tiny.SKOPT}
    assert (comparison["n_iter"] == 3).sum() == ran[overhead["n_iter"] == 3].sum() - 1

    parallel = tables["parallel"]
    assert len(parallel) == 1
    assert parallel["status"].tolist() == ["ok"]
    assert parallel["same candidates"].tolist() == ["yes"]
    assert {"wall s n_jobs=1", "wall s n_jobs=2", "ratio"} <= set(parallel)

    document = json.loads(path.read_text())
    assert {"platform", "cpu count", "scikit-learn", "optuna"} <= set(
        document["machine"]
    )
    assert set(document["tables"]) == set(tables)
    assert len(document["tables"]["quality"]) == len(quality)
    assert "Table 3" in capsys.readouterr().out


def test_paired_table_counts_pairs_of_the_same_task_and_seed(benchmark_module):
    module = benchmark_module

    def run(tool, task, seed, best, test=0.5, status="ok"):
        return {
            "tool": tool,
            "task": task,
            "seed": seed,
            "status": status,
            "best CV": best,
            "test": test,
        }

    ours, other = module.OURS, module.RANDOM
    runs = [
        *(run(ours, "a", seed, 0.9) for seed in range(3)),
        *(run(other, "a", seed, 0.8) for seed in range(3)),
        run(ours, "b", 0, 0.7),
        run(other, "b", 0, 0.7),
        run(ours, "b", 1, 0.6),
        run(other, "b", 1, 0.65),
        # a pair with a failed run is no pair
        run(ours, "b", 2, 0.9),
        run(other, "b", 2, np.nan, status="failed"),
    ]
    table = module.paired_table(runs, tools=(ours, other))
    (row,) = table.to_dict("records")
    assert row["ours against"] == other
    assert row["pairs"] == 5
    assert row["best CV: higher/same/lower"] == "3/1/1"
    assert row["best CV: sign test p"] == pytest.approx(0.625)
    assert row["test: higher/same/lower"] == "0/5/0"
    assert np.isnan(row["test: sign test p"])
    differences = [0.1, 0.1, 0.1, 0.0, -0.05]
    assert row["best CV: mean difference"] == pytest.approx(0.05)
    interval = ttest_1samp(differences, 0.0).confidence_interval(0.95)
    assert row["best CV: 95% CI"] == f"[{interval.low:.4f}, {interval.high:.4f}]"
    assert row["test: mean difference"] == 0.0
    assert row["test: 95% CI"] == ""

    by_task = module.paired_table(runs, tools=(ours, other), by_task=True)
    assert list(by_task["task"]) == ["a", "b"]
    assert list(by_task["pairs"]) == [3, 2]
    assert list(by_task["best CV: higher/same/lower"]) == ["3/0/0", "0/1/1"]
    assert by_task["best CV: mean difference"].tolist() == pytest.approx([0.1, -0.025])


def test_runs_of_seed_ranges_side_by_side_merge_into_one_table(tiny, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    tiny.main(["--quick", "--tables", "1", "--json", str(first)])
    tiny.main(["--quick", "--tables", "1", "--first-seed", "1", "--json", str(second)])
    runs = json.loads(second.read_text())["runs"]
    assert {run["seed"] for run in runs} == {1}

    merged_path = tmp_path / "merged.json"
    tables = tiny.main(["--merge", str(first), str(second), "--json", str(merged_path)])
    assert set(tables) == TABLE_ONE
    quality = tables["quality"]
    assert len(quality) == len(tiny.TOOLS) * 2
    paired = dict(zip(tables["paired"]["ours against"], tables["paired"]["pairs"]))
    # 2 tasks x 2 seeds for every tool that ran
    assert paired[tiny.RANDOM] == paired[tiny.GRID] == 4
    reach = tables["evaluations to Random's best"]
    assert all(len(cell.split()) == 2 for cell in reach[tiny.OURS])
    merged = json.loads(merged_path.read_text())
    assert len(merged["runs"]) == 2 * len(runs)
    assert merged["config"]["seeds"] == 2

    with pytest.raises(ValueError, match="was run in both"):
        tiny.main(["--merge", str(first), str(first)])
    third = tmp_path / "third.json"
    tiny.main(["--quick", "--tables", "1", "--first-seed", "3", "--json", str(third)])
    with pytest.raises(ValueError, match=r"consecutive seeds, got \[0, 3\]"):
        tiny.main(["--merge", str(first), str(third)])


def test_missing_optuna_is_recorded_not_raised(tiny, monkeypatch):
    # None in sys.modules makes every import of the module raise ImportError.
    monkeypatch.setitem(sys.modules, "optuna", None)
    monkeypatch.setitem(sys.modules, "optuna_integration", None)
    tables = tiny.main(["--quick", "--tables", "1"])
    quality = tables["quality"]
    statuses = dict(zip(quality["tool"], quality["status"]))
    assert set(quality.loc[quality["tool"] == tiny.OPTUNA, "status"]) == {
        "not installed"
    }
    assert statuses[tiny.OURS] == "ok"
    assert tiny.machine()["optuna"] == "not installed"
    assert set(tables) == TABLE_ONE


def test_grid_has_about_n_iter_points(benchmark_module):
    module = benchmark_module
    space = {
        "a": module.real(1e-3, 1e3, log=True),
        "b": module.real(0.0, 1.0),
        "c": module.categorical("x", "y"),
        "d": module.integer(1, 3),
    }
    grid = module.to_grid(space, 30)
    sizes = [len(values) for values in grid.values()]
    assert 24 <= sizes[0] * sizes[1] * sizes[2] * sizes[3] <= 30
    assert grid["c"] == ["x", "y"]
    assert all(1 <= value <= 3 for value in grid["d"])
    assert all(1e-3 < value < 1e3 for value in grid["a"])


def test_a_baseline_checkout_is_run_beside_ours_and_paired(benchmark_module):
    # this checkout as its own baseline: the same search, in another process
    root = str(Path(benchmark_module.__file__).resolve().parents[1])
    tables = benchmark_module.main(
        [
            "--quick",
            "--tables",
            "1",
            "--n-iter",
            "3",
            "--tools",
            "ours,baseline",
            "--baseline",
            root,
        ]
    )
    quality = tables["quality"]
    assert set(quality["tool"]) == {benchmark_module.OURS, benchmark_module.BASELINE}
    assert quality["status"].eq("ok").all()
    paired = tables["paired"]
    assert list(paired["ours against"]) == [benchmark_module.BASELINE]
    assert paired["pairs"].tolist() == [2]
    # the same code, seeds and splits find the same candidates
    assert paired["best CV: higher/same/lower"].tolist() == ["0/2/0"]


def test_the_baseline_needs_its_checkout(benchmark_module):
    with pytest.raises(SystemExit):
        benchmark_module.main(["--quick", "--tools", "ours,baseline"])


def test_a_search_run_in_a_process_of_its_own_reports_its_peak_memory(
    benchmark_module,
):
    row = benchmark_module.run_in_process(
        benchmark_module.RANDOM, "ElasticNet, diabetes", 0, 3
    )
    assert row["status"] == "ok"
    assert row["candidates"] == 3
    # the interpreter, numpy, scipy, pandas and scikit-learn at least
    assert row["peak RSS MB"] > 50


def test_table_two_budgets_are_chosen_on_the_command_line(tiny):
    tables = tiny.main(["--quick", "--tables", "2", "--budgets", "3"])
    assert set(tables) == {"overhead", "overhead comparison"}
    assert set(tables["overhead"]["n_iter"]) == {3}


@pytest.mark.skipif(
    not asynchronous_supported(), reason="the asynchronous mode needs joblib >= 1.4"
)
def test_utilisation_is_the_share_of_the_workers_time_spent_fitting(tiny):
    # threads: the sleeping model of a script loaded from its path cannot be
    # unpickled by worker processes
    with parallel_config(backend="threading"):
        tables = tiny.main(["--quick", "--tables", "4,5"])
    table = tables["utilisation"]
    backends = ["loky", "dask threads"] if _has_dask() else ["loky"]
    # per backend: three modes and the ceiling; then the real task's modes
    n_rows = 4 * len(backends) + 3
    assert list(table["workers"]) == [2] * n_rows
    assert (
        list(table["backend"]) == [b for b in backends for _ in range(4)] + ["loky"] * 3
    )
    modes = ["batches, n_points=auto", "batches, n_points=2", "asynchronous"]
    ceiling = "ceiling: the same fits, all at once"
    assert list(table["mode"]) == [*modes, ceiling] * len(backends) + modes
    # 4 candidates of the sleeping model, 2 of the tiny classification
    assert list(table["candidates"]) == [4] * 4 * len(backends) + [2] * 3
    assert ((table["utilisation"] > 0) & (table["utilisation"] <= 1.05)).all()
    # the ceiling replays the asynchronous run's fits
    for backend in backends:
        sleeping = table["task"].str.startswith("sleeping")
        rows = table[sleeping & (table["backend"] == backend)].set_index("mode")
        assert rows.loc[ceiling, "fit+score s"] == pytest.approx(
            rows.loc["asynchronous", "fit+score s"]
        )

    # the asynchronous mode's scores against batches', task by task and seed
    quality = tables["asynchronous quality"]
    assert list(quality["task"]) == list(tiny.QUICK.tasks)
    for column in ("best CV", "test", "wall s"):
        for mode in ("batches", "asynchronous"):
            assert quality[f"{column} {mode}"].notna().all()
    summary = tables["asynchronous quality summary"]
    assert list(summary["task"]) == [*tiny.QUICK.tasks, "all tasks"]
    expected = (quality["best CV asynchronous"] - quality["best CV batches"]).mean()
    assert summary["best CV: async - batches"].iloc[-1] == pytest.approx(expected)


def _has_dask():
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def test_the_sleeping_model_sleeps_as_its_hyperparameters_say(benchmark_module):
    model = benchmark_module.SleepingRegressor(slowness=0.0, shape=0.4)
    start = time.perf_counter()
    model.fit(np.zeros((3, 2)), np.zeros(3))
    assert time.perf_counter() - start >= 0.02
    assert model.score(None, None) == pytest.approx(-0.49)
