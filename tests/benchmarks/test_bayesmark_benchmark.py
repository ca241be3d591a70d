"""The Bayesmark benchmark still runs (2 problems, tiny budgets, no timing checked)."""

import gzip
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _common import load_benchmark
from scipy.special import expit
from sklearn.base import clone

PROBLEMS = "DT-iris-nll,linear-diabetes-mse"
TINY = ["--problems", PROBLEMS, "--tools", "ours,random", "--n-iter", "4"]
# what differs between two runs of the same searches
TIMES = {"wall s", "median optimizer s/candidate"}


@pytest.fixture(scope="module")
def bayesmark():
    return load_benchmark("bayesmark")


def _scores(tables):
    """The tables without their times."""
    return {
        name: table.drop(columns=[c for c in table if c in TIMES])
        for name, table in tables.items()
    }


def _run(tool, seed, loss, problem="a", test=None, anytime=None):
    """A run that ended on CV ``loss``; ``anytime``: budget to the CV loss then.

    The test loss is ``loss`` unless given; by default a 4-candidate search.
    """
    anytime = {4: loss} if anytime is None else anytime
    return {
        "tool": tool,
        "problem": problem,
        "seed": seed,
        "status": "ok",
        "CV loss": loss,
        "test loss": loss if test is None else test,
        **{f"CV loss at {k}": at_k for k, at_k in anytime.items()},
        "optimizer s/candidate": 0.0,
    }


def test_every_table_has_a_row_per_tool_and_problem(bayesmark, tmp_path, capsys):
    path = tmp_path / "run.json"
    tables = bayesmark.main([*TINY, "--seeds", "1", "--json", str(path)])
    tools = [bayesmark.OURS, bayesmark.RANDOM]
    problems = PROBLEMS.split(",")

    table = tables["problems"]
    assert list(zip(table["problem"], table["tool"])) == [
        (problem, tool) for problem in problems for tool in tools
    ]
    assert table["status"].eq("ok").all()
    assert {"norm CV", "norm test", "CV loss", "test loss", "wall s"} <= set(table)
    summary = tables["summary"]
    assert list(summary["tool"]) == tools
    assert {
        "problems",
        "mean norm CV",
        "median norm CV",
        "mean norm test",
        "below random",
        "median optimizer s/candidate",
        "norm CV at 4",
    } <= set(summary)
    paired = tables["paired"]
    assert list(paired["ours against"]) == [bayesmark.RANDOM]
    left_out = tables["left out"]
    n_left_out = left_out.loc[left_out["score"] == "CV", "problems"].sum()
    assert paired["CV: pairs"].tolist() == [2 - n_left_out]
    assert list(tables["below random"].columns[:1]) == ["problem"]

    document = json.loads(path.read_text())
    runs = document["runs"]
    assert len(runs) == 4
    assert all(run["candidates"] == 4 for run in runs)
    assert all(run["CV loss at 4"] == run["CV loss"] for run in runs)
    assert {"torch", "optuna", "scikit-optimize", "sklearn_hp"} <= set(
        document["machine"]
    )
    out = capsys.readouterr().out
    assert "Table 4" in out
    assert "torch" in out
    assert "total time" in out


def test_normalise_is_100_at_the_best_and_0_at_random(bayesmark):
    scores = bayesmark.normalise([1.0, 2.0, 3.0, 4.0], random=3.0, best=1.0)
    assert scores.tolist() == [100.0, 50.0, 0.0, -50.0]
    assert bayesmark.normalise(2.0, random=3.0, best=1.0) == 50.0
    # random search found the best: left out
    assert np.isnan(bayesmark.normalise([1.0, 1.0], random=1.0, best=1.0)).all()
    assert np.isnan(bayesmark.normalise(1.0, random=np.nan, best=1.0))


def test_scores_are_normalised_per_problem_over_seeds(bayesmark):
    def run(tool, problem, seed, loss, test):
        return _run(tool, seed, loss, problem, test, anytime={8: loss + 1.0, 16: loss})

    ours, random = bayesmark.OURS, bayesmark.RANDOM
    runs = [
        # random's mean 3, ours' best 1: ours 100 and 50, random 0 on average
        run(random, "a", 0, 2.0, 10.0),
        run(random, "a", 1, 4.0, 12.0),
        run(ours, "a", 0, 1.0, 9.0),
        run(ours, "a", 1, 2.0, 11.0),
        # random search finds the best on every seed: left out
        run(random, "b", 0, 5.0, 5.0),
        run(random, "b", 1, 5.0, 5.0),
        run(ours, "b", 0, 5.0, 6.0),
        run(ours, "b", 1, 5.0, 7.0),
        {"tool": ours, "problem": "b", "seed": 2, "status": "failed: ValueError"},
    ]
    scored, left_out = bayesmark.score_runs(runs, n_iter=16)
    by_run = scored.set_index(["problem", "tool", "seed"])
    assert by_run.loc[("a", ours, 0), "norm CV"] == 100.0
    assert by_run.loc[("a", ours, 1), "norm CV"] == 50.0
    assert by_run.loc[("a", random), "norm CV"].mean() == 0.0
    # the test losses have their own references: random 11, best 9
    assert by_run.loc[("a", ours), "norm test"].tolist() == [100.0, 0.0]
    # anytime: random's mean at 8 is 4, the best seen still 1
    assert by_run.loc[("a", ours, 0), "norm CV at 8"] == pytest.approx(200.0 / 3)
    assert by_run.loc[("a", ours, 0), "norm CV at 16"] == 100.0
    assert by_run.loc["b", "norm CV"].isna().all()
    # and for the test losses too: random's 5 is the best seen
    assert by_run.loc["b", "norm test"].isna().all()
    found = "random search found the best"
    assert left_out == {"CV": {"b": found}, "test": {"b": found}}

    config = bayesmark.Config(
        problems=("a", "b"), n_iter=16, seeds=2, tools=(ours, random)
    )
    summary = bayesmark.summary_table(scored, config).set_index("tool")
    assert summary.loc[ours, "problems"] == 1
    assert summary.loc[ours, "mean norm CV"] == 75.0
    assert summary.loc[random, "mean norm CV"] == 0.0
    assert summary.loc[ours, "norm CV at 8"] == pytest.approx((200 / 3 + 100 / 3) / 2)
    (paired,) = bayesmark.paired_table(scored, config).to_dict("records")
    assert paired["CV: pairs"] == 2
    assert paired["CV: won/tied/lost"] == "2/0/0"
    assert paired["CV: sign test p"] == pytest.approx(0.5)
    assert paired["CV: mean difference"] == 75.0
    left = bayesmark.left_out_table(left_out)
    assert left.to_dict("records") == [
        {"score": score, "reason": found, "problems": 1, "which": "b"}
        for score in ("CV", "test")
    ]


def test_clipped_scores_count_a_disastrous_run_at_minus_100(bayesmark):
    ours, random = bayesmark.OURS, bayesmark.RANDOM
    runs = [
        # random's mean 3, the best 1
        _run(random, 0, 2.0, test=2.0),
        _run(random, 1, 4.0, test=4.0),
        _run(ours, 0, 1.0, test=1.0),
        # a refit that diverged on the test data: -49,900 normalised
        _run(ours, 1, 4.0, test=1001.0),
    ]
    scored, _ = bayesmark.score_runs(runs, n_iter=4)
    by_run = scored.set_index(["tool", "seed"])
    assert by_run.loc[(ours, 1), "norm test"] == -49900.0
    assert by_run.loc[(ours, 1), "clipped test"] == bayesmark.CLIP == -100.0
    # scores above the clip are kept as they are
    assert by_run["clipped CV"].tolist() == by_run["norm CV"].tolist()
    config = bayesmark.Config(problems=("a",), n_iter=4, seeds=2, tools=(ours, random))
    summary = bayesmark.summary_table(scored, config).set_index("tool")
    assert summary.loc[ours, "mean norm test"] == -24900.0
    assert summary.loc[ours, "mean clipped test"] == 0.0
    (paired,) = bayesmark.paired_table(scored, config).to_dict("records")
    # ours minus random, seed by seed: 100 - 50 and -100 - (-50)
    assert paired["test: mean difference"] == -24900.0
    assert paired["clipped test: mean difference"] == 0.0
    assert paired["clipped CV: mean difference"] == paired["CV: mean difference"]


def test_losses_equal_but_for_rounding_are_the_same_loss(bayesmark):
    ours, random = bayesmark.OURS, bayesmark.RANDOM
    # the same accuracies, their fold scores summed in another order
    runs = [
        _run(random, 0, -0.9499999999999998),
        _run(random, 1, -0.9666666666666667),
        _run(ours, 0, -0.9500000000000001),
        _run(ours, 1, -0.9666666666666666),
    ]
    scored, _ = bayesmark.score_runs(runs, n_iter=4)
    by_run = scored.set_index(["tool", "seed"])["norm CV"]
    assert by_run[ours, 0] == by_run[random, 0]
    assert by_run[ours, 1] == by_run[random, 1] == 100.0
    config = bayesmark.Config(problems=("a",), n_iter=4, seeds=2, tools=(ours, random))
    summary = bayesmark.summary_table(scored, config).set_index("tool")
    assert summary.loc[ours, "mean norm CV"] == 0.0
    assert summary["below random"].tolist() == [0, 0]


def test_the_same_mean_loss_over_seeds_is_not_below_random(bayesmark):
    # a random forest's CV accuracies on iris, 10 seeds: the two tools reach
    # different accuracies seed by seed, with the same mean
    ours_losses = [-0.9416666666666668, -0.9666666666666667, -0.9583333333333334]
    ours_losses += [-0.9500000000000001, -0.9500000000000001, -0.9333333333333335]
    ours_losses += [-0.9416666666666668, -0.9666666666666667, -0.9583333333333334]
    ours_losses += [-0.9499999999999998]
    random_losses = [-0.9499999999999998, -0.9666666666666667, -0.9666666666666667]
    random_losses += [-0.9583333333333334, -0.9416666666666668, -0.9416666666666668]
    random_losses += [-0.9416666666666668, -0.9499999999999998, -0.9499999999999998]
    random_losses += [-0.9499999999999998]
    ours, random = bayesmark.OURS, bayesmark.RANDOM
    runs = [
        _run(tool, seed, loss)
        for tool, losses in ((ours, ours_losses), (random, random_losses))
        for seed, loss in enumerate(losses)
    ]
    scored, _ = bayesmark.score_runs(runs, n_iter=4)
    config = bayesmark.Config(problems=("a",), n_iter=4, seeds=10, tools=(ours, random))
    summary = bayesmark.summary_table(scored, config).set_index("tool")
    assert summary["mean norm CV"].tolist() == [0.0, 0.0]
    assert summary["below random"].tolist() == [0, 0]
    assert bayesmark.below_random_table(scored, config).empty


def test_below_random_surely_only_when_the_seeds_agree(bayesmark):
    ours, random = bayesmark.OURS, bayesmark.RANDOM
    random_losses = [0.5, 0.6, 0.5, 0.6]
    worse = {
        # below random search on every seed
        "a": [0.7, 0.8, 0.75, 0.9],
        # the same as random search but for one unlucky seed
        "b": [0.5, 0.6, 0.5, 1.6],
    }
    runs = [
        _run(tool, seed, loss, problem)
        for problem, ours_losses in worse.items()
        for tool, losses in ((ours, ours_losses), (random, random_losses))
        for seed, loss in enumerate(losses)
    ]
    scored, _ = bayesmark.score_runs(runs, n_iter=4)
    config = bayesmark.Config(
        problems=("a", "b"), n_iter=4, seeds=4, tools=(ours, random)
    )
    summary = bayesmark.summary_table(scored, config).set_index("tool")
    assert summary["below random"].tolist() == [2, 0]
    assert summary["surely below random"].tolist() == [1, 0]
    below = bayesmark.below_random_table(scored, config).set_index("problem")
    assert below["seeds"].tolist() == [4, 4]
    assert below.loc["a", "ours - random, 95% upper"] < 0
    assert below.loc["b", "ours - random, 95% upper"] > 0

    # one seed has no spread to judge by
    one_seed = [r for r in runs if r["seed"] == 0 and r["problem"] == "a"]
    scored, _ = bayesmark.score_runs([*one_seed, _run(ours, 1, 0.55)], n_iter=4)
    summary = bayesmark.summary_table(scored, config).set_index("tool")
    assert summary.loc[ours, "surely below random"] == 0


def test_runs_of_two_seeds_merge_into_the_tables_of_one_run(bayesmark, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    bayesmark.main([*TINY, "--seeds", "1", "--json", str(first)])
    bayesmark.main([*TINY, "--seeds", "1", "--first-seed", "1", "--json", str(second)])
    merged = bayesmark.main(["--merge", str(first), str(second)])
    together = bayesmark.main([*TINY, "--seeds", "2"])
    assert set(merged) == set(together)
    for name, table in _scores(merged).items():
        pd.testing.assert_frame_equal(table, _scores(together)[name], obj=name)
    scores = together["problems"]
    assert (scores["norm CV"].dropna() <= 100.0).all()

    # every seed of random search averages 0, the best run of a problem is 100
    runs = [
        *json.loads(first.read_text())["runs"],
        *json.loads(second.read_text())["runs"],
    ]
    scored, left_out = bayesmark.score_runs(runs, n_iter=4)
    for problem, group in scored.groupby("problem"):
        if problem in left_out["CV"]:
            continue
        random = group[group["tool"] == bayesmark.RANDOM]
        assert random["norm CV"].mean() == pytest.approx(0.0, abs=1e-9)
        assert group["norm CV"].max() == pytest.approx(100.0)

    # a compressed file holds the same runs
    compressed = tmp_path / "second.json.gz"
    bayesmark.main(
        [*TINY, "--seeds", "1", "--first-seed", "1", "--json", str(compressed)]
    )
    with gzip.open(compressed, "rt") as file:
        runs_compressed = json.load(file)["runs"]
    keys = ["problem", "tool", "seed", "CV loss", "test loss"]
    assert [[r[k] for k in keys] for r in runs_compressed] == [
        [r[k] for k in keys] for r in json.loads(second.read_text())["runs"]
    ]
    from_compressed = bayesmark.main(["--merge", str(first), str(compressed)])
    for name, table in _scores(from_compressed).items():
        pd.testing.assert_frame_equal(table, _scores(merged)[name], obj=name)

    with pytest.raises(ValueError, match="was run in both"):
        bayesmark.main(["--merge", str(first), str(first)])
    document = json.loads(first.read_text())
    document["config"]["n_iter"] = 5
    for run in document["runs"]:
        run["seed"] = 7
    other = tmp_path / "other.json"
    other.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=r"one n_iter, got \[4, 5\]"):
        bayesmark.main(["--merge", str(first), str(other)])


def test_merged_runs_are_selected_as_a_run_of_those_alone(bayesmark, tmp_path):
    path = tmp_path / "three.json"
    bayesmark.main([*TINY, "--seeds", "3", "--json", str(path)])
    runs = json.loads(path.read_text())["runs"]
    for seed in range(3):
        (tmp_path / f"seed{seed}.json").write_text(
            json.dumps(
                {
                    "config": {"n_iter": 4},
                    "runs": [run for run in runs if run["seed"] == seed],
                }
            )
        )
    middle = bayesmark.main(["--merge", str(path), "--seeds", "1", "--first-seed", "1"])
    alone = bayesmark.main(["--merge", str(tmp_path / "seed1.json")])
    for name, table in _scores(middle).items():
        pd.testing.assert_frame_equal(table, _scores(alone)[name], obj=name)
    first_two = bayesmark.main(["--merge", str(path), "--seeds", "2"])
    assert set(first_two["problems"]["problem"]) == set(PROBLEMS.split(","))
    together = bayesmark.main(
        ["--merge", str(tmp_path / "seed0.json"), str(tmp_path / "seed1.json")]
    )
    for name, table in _scores(first_two).items():
        pd.testing.assert_frame_equal(table, _scores(together)[name], obj=name)

    one = bayesmark.main(
        ["--merge", str(path), "--problems", "DT-*", "--tools", "ours"]
    )
    assert set(one["problems"]["problem"]) == {"DT-iris-nll"}
    assert set(one["problems"]["tool"]) == {bayesmark.OURS}
    with pytest.raises(ValueError, match="no run is of the problems"):
        bayesmark.main(["--merge", str(path), "--first-seed", "3"])


def test_merged_tools_of_different_seeds_are_pointed_out(bayesmark, tmp_path, capsys):
    ours, random = bayesmark.OURS, bayesmark.RANDOM
    runs = [_run(random, seed, 0.5) for seed in (0, 1, 2, 5)] + [_run(ours, 0, 0.4)]
    assert bayesmark.seeds_apart(runs) == f"{ours}: 0; {random}: 0-2, 5"
    assert bayesmark.seeds_apart([r for r in runs if r["seed"] == 0]) == ""
    path = tmp_path / "uneven.json"
    path.write_text(json.dumps({"config": {"n_iter": 4}, "runs": runs}))
    bayesmark.main(["--merge", str(path)])
    assert "the tools ran different seeds" in capsys.readouterr().out
    bayesmark.main(["--merge", str(path), "--seeds", "1"])
    assert "different seeds" not in capsys.readouterr().out


def test_missing_optuna_and_torch_are_recorded_not_raised(bayesmark, monkeypatch):
    # None in sys.modules makes every import of the module raise ImportError.
    for module in ("optuna", "optuna_integration", "torch"):
        monkeypatch.setitem(sys.modules, module, None)
    tables = bayesmark.main(
        [
            "--problems",
            "linear-diabetes-mse",
            "--tools",
            "ours,tpe,gp",
            "--n-iter",
            "3",
            "--seeds",
            "1",
        ]
    )
    statuses = dict(zip(tables["problems"]["tool"], tables["problems"]["status"]))
    assert statuses == {
        bayesmark.OURS: "ok",
        bayesmark.TPE: "not installed",
        bayesmark.GP: "not installed",
    }
    assert list(tables["summary"]["tool"]) == [
        bayesmark.OURS,
        bayesmark.TPE,
        bayesmark.GP,
    ]


def test_problems_are_bayesmarks_and_selected_by_pattern(bayesmark):
    assert len(bayesmark.PROBLEMS) == 70
    assert "MLP-adam-wine-nll" in bayesmark.PROBLEMS
    trees = [
        f"DT-{data}-{metric}"
        for data, metrics in [
            ("breast", "acc nll"),
            ("digits", "acc nll"),
            ("iris", "acc nll"),
            ("wine", "acc nll"),
            ("diabetes", "mse mae"),
        ]
        for metric in metrics.split()
    ]
    assert bayesmark.select_problems("DT-*, *-iris-acc") == (
        "kNN-iris-acc",
        "SVM-iris-acc",
        *trees,
        "RF-iris-acc",
        "MLP-adam-iris-acc",
        "lasso-iris-acc",
        "linear-iris-acc",
    )
    with pytest.raises(ValueError, match="no problem matches"):
        bayesmark.select_problems("DT-*,XGB-*")
    # normalize is gone from Lasso and Ridge
    assert set(bayesmark.PROBLEMS["lasso-diabetes-mae"].space) == {
        "alpha",
        "fit_intercept",
        "max_iter",
        "tol",
        "positive",
    }


def test_the_warped_estimator_clones_and_fits_the_unwarped_model(bayesmark):
    for problem in bayesmark.PROBLEMS.values():
        estimator = problem.make(seed=3)
        assert set(estimator.get_params()) == set(problem.space)
        copy = clone(estimator)
        assert type(copy) is type(estimator)
        assert copy.get_params() == estimator.get_params()
        # Optuna's forms need Optuna
        for tool in (
            bayesmark.OURS,
            bayesmark.OURS_BATCH,
            bayesmark.SKOPT,
            bayesmark.RANDOM,
        ):
            assert list(bayesmark.translate(problem.space, tool)) == list(problem.space)

    problem = bayesmark.PROBLEMS["DT-iris-acc"]
    estimator = problem.make(seed=3).set_params(
        logit_max_features=0.3, logit_min_samples_leaf=-3.0, max_depth=4
    )
    copy = clone(estimator)
    assert copy.get_params() == estimator.get_params()
    X_train, X_test, y_train, _ = bayesmark.split(problem)
    copy.fit(X_train, y_train)
    model = copy.model_
    assert type(model).__name__ == "DecisionTreeClassifier"
    assert model.max_features == pytest.approx(expit(0.3))
    assert model.min_samples_leaf == pytest.approx(expit(-3.0))
    assert model.max_depth == 4
    assert model.random_state == 3
    assert list(copy.classes_) == [0, 1, 2]
    assert copy.predict_proba(X_test).shape == (len(X_test), 3)

    # SVC's probability=True, or what replaces it
    svm = bayesmark.PROBLEMS["SVM-iris-nll"].make(seed=0).fit(X_train, y_train)
    assert svm.predict_proba(X_test).sum(axis=1) == pytest.approx(1.0)
    assert type(svm.model_).__name__ in {"SVC", "CalibratedClassifierCV"}

    lasso = bayesmark.PROBLEMS["lasso-diabetes-mse"].make(seed=0)
    lasso.set_params(max_iter=np.int64(20), positive=True, fit_intercept=False)
    params = lasso.unwarped_params()
    assert params["max_iter"] == 20
    assert type(params["max_iter"]) is int
    assert params["positive"] is True
    logistic = bayesmark.PROBLEMS["lasso-wine-acc"].make(seed=0)
    X_train, _, y_train, _ = bayesmark.split(bayesmark.PROBLEMS["lasso-wine-acc"])
    fitted = logistic.fit(X_train, y_train).model_
    assert type(fitted).__name__ == "OneVsRestClassifier"
    assert fitted.estimator.solver == "liblinear"
    # an L1 penalty, however the release spells it
    assert (fitted.estimator.l1_ratio == 1.0) or (fitted.estimator.penalty == "l1")
    assert np.any(fitted.estimators_[0].coef_ == 0)


def test_recorded_runs_merge_into_complete_tables(bayesmark):
    # every tool on every problem and seed the README lists, and all succeeded
    recorded = sorted((Path(bayesmark.__file__).parent / "runs").glob("*.json.gz"))
    assert len(recorded) == 5
    runs, config = bayesmark.merged_runs(recorded)
    assert config.n_iter == 32
    assert set(config.tools) == set(bayesmark.TOOLS)
    assert config.problems == tuple(bayesmark.PROBLEMS)
    assert config.seeds == 10
    # the other tools and this package's search, one at a time and in batches
    # of 8, on all 70 problems over 10 seeds; scikit-optimize over the first 3
    assert len(runs) == 70 * 10 * 3 + 70 * 10 * 2 + 70 * 3
    skopt = {run["seed"] for run in runs if run["tool"] == bayesmark.SKOPT}
    assert skopt == {0, 1, 2}
    assert {run["status"] for run in runs} == {"ok"}
    scored, left_out = bayesmark.score_runs(runs, config.n_iter)
    assert not left_out["CV"]
    assert scored["norm CV"].notna().all()
