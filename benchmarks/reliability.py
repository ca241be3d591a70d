"""Reliability of a search: killed and resumed, the cost of its checkpoint, bad input.

Three tables.

1. **Kill and resume.** A search of a model whose fits take 20 to 120 ms (as
   its hyperparameters decide) is started in a process of its own and killed
   with ``SIGKILL`` at a random moment while it fits (between the first
   fit's start and the last one's end in an uninterrupted run), ``--kills``
   times, half with
   ``n_jobs=1`` and half with ``n_jobs=2`` (joblib's process workers). Each
   fit writes a line with the time to a log when it starts and when it ends,
   so that what had happened at the moment of the kill is known:
   ``started`` and ``ended`` count the fits by then, ``in flight`` those
   started and not ended, ``saved`` the folds the checkpoint holds, and
   ``lost`` the fits started but not saved. The claim: ``lost <= in flight``,
   that is, no fit that had ended is lost; with process workers, a fit that
   ended a moment before the kill may still be on its way to the search's
   process, so ``ended 0.1 s before, lost`` counts the fits that had ended
   0.1 s before the kill and are not saved (0 is the claim there). The
   search is then fitted again
   with the same checkpoint: ``rerun`` counts the fits it ran beyond those
   the checkpoint lacked (0: nothing saved is fitted again), and
   ``identical`` whether its ``cv_results_`` (candidates and every fold's
   test score) equals that of the same search never interrupted.

2. **Checkpoint cost.** The bytes written and the seconds spent saving for
   searches of 100, 1,000 and 5,000 candidates of 5 folds: *before*, the
   checkpoint of sklearn_hp 0.1 (one JSON document with every evaluation,
   rewritten to a new file renamed over the old one after every batch of
   ``--batch`` candidates, synced to the disk); *after*, the JSON Lines
   checkpoint (a record appended and synced per candidate and per fold).

3. **Bad input.** The generated bad inputs of the property tests
   (``tests/model_selection/test_bad_input_generated.py``): how many were
   tried, and how many ended in a ``ValueError`` or ``TypeError`` naming the
   offending key or argument.

    python benchmarks/reliability.py                  # all three tables
    python benchmarks/reliability.py --tables 1 --kills 20
    python benchmarks/reliability.py --tables 2 --sizes 100 1000 5000
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import machine

_MODEL = '''
import os
import time

from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression


def _log(event):
    with open(os.environ["RELIABILITY_LOG"], "a") as file:
        file.write(f"{time.time():.6f} {event}\\n")


class TimedClassifier(ClassifierMixin, BaseEstimator):
    """A logistic regression whose fit takes 20 to 120 ms, logged."""

    def __init__(self, C=1.0, tol=1e-4):
        self.C = C
        self.tol = tol

    def fit(self, X, y):
        _log("start")
        time.sleep(0.02 + 0.1 * ((self.C * 7919.0) % 1.0))
        self.model_ = LogisticRegression(C=self.C, tol=self.tol).fit(X, y)
        self.classes_ = self.model_.classes_
        _log("end")
        return self

    def predict(self, X):
        return self.model_.predict(X)
'''

_SEARCH = """
import json
import sys

from sklearn.datasets import make_classification

from sklearn_hp import BayesSearchCV
from timed_model import TimedClassifier

checkpoint, output = sys.argv[1], sys.argv[2]
n_jobs, seed = int(sys.argv[3]), int(sys.argv[4])
X, y = make_classification(n_samples=120, n_features=6, random_state=0)
search = BayesSearchCV(
    TimedClassifier(),
    {"C": (1e-3, 1e2, "log-uniform"), "tol": (1e-5, 1e-2, "log-uniform")},
    n_iter=16,
    cv=3,
    n_jobs=n_jobs,
    random_state=seed,
    checkpoint=None if checkpoint == "-" else checkpoint,
    refit=False,
).fit(X, y)
results = search.cv_results_
with open(output, "w") as file:
    json.dump(
        {
            "params": results["params"],
            "scores": [results[f"split{i}_test_score"].tolist() for i in range(3)],
        },
        file,
    )
"""

N_CANDIDATES, N_SPLITS = 16, 3


def _run(folder, checkpoint, output, n_jobs, seed, log, kill_after=None):
    """Run the search script; kill it after ``kill_after`` seconds if given.

    Returns the time of the kill (or None), the exit status and the time the
    process was launched.
    """
    environment = {
        **os.environ,
        "RELIABILITY_LOG": str(log),
        "PYTHONPATH": os.pathsep.join(
            [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    }
    command = [
        sys.executable,
        "-c",
        _SEARCH,
        str(checkpoint),
        str(output),
        str(n_jobs),
        str(seed),
    ]
    with open(folder / "stderr.txt", "w") as stderr:
        launched = time.time()
        process = subprocess.Popen(command, env=environment, stderr=stderr)
    killed = None
    try:
        if kill_after is not None:
            try:
                process.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                killed = time.time()
                process.send_signal(signal.SIGKILL)
        process.wait(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    return killed, process.returncode, launched


def _events(log, until=None):
    """Count the fits started and ended in ``log`` (up to the time ``until``)."""
    started = ended = 0
    if not log.exists():
        return 0, 0
    for line in log.read_text().splitlines():
        moment, event = line.split()
        if until is not None and float(moment) > until:
            continue
        started += event == "start"
        ended += event == "end"
    return started, ended


def _saved_folds(path):
    from sklearn_hp.model_selection._checkpoint import read

    if not path.exists() or path.stat().st_size == 0:
        return 0
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, candidates, _ = read(path)
    return sum(len(saved.folds) for saved in candidates)


def kill_and_resume(n_kills, seed):
    """Table 1: searches killed at random moments, then resumed."""
    rng = np.random.default_rng(seed)
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        (folder / "timed_model.py").write_text(_MODEL)
        references, windows = {}, {}
        for n_jobs in (1, 2):
            log = folder / f"reference-{n_jobs}.log"
            output = folder / f"reference-{n_jobs}.json"
            _, status, launched = _run(folder, "-", output, n_jobs, seed, log)
            assert status == 0, (folder / "stderr.txt").read_text()
            references[n_jobs] = json.loads(output.read_text())
            # from the first fit's start to the last one's end, after launch
            moments = [float(line.split()[0]) for line in log.read_text().splitlines()]
            windows[n_jobs] = (min(moments) - launched, max(moments) - launched)
        for kill in range(n_kills):
            n_jobs = 1 + kill % 2
            run = folder / f"run-{kill}"
            run.mkdir()
            checkpoint = run / "search.jsonl"
            log, resume_log = run / "fits.log", run / "resume.log"
            # a random moment while the search fits
            kill_after = rng.uniform(*windows[n_jobs])
            killed, status, _ = _run(
                folder, checkpoint, run / "killed.json", n_jobs, seed, log, kill_after
            )
            started, ended = _events(log, until=killed)
            # a fit that ended just before the kill may not have reached the
            # search's process yet: it was still in flight for the search
            _, ended_before = _events(
                log, until=None if killed is None else killed - 0.1
            )
            saved = _saved_folds(checkpoint)
            output = run / "resumed.json"
            _, status, _ = _run(folder, checkpoint, output, n_jobs, seed, resume_log)
            assert status == 0, (folder / "stderr.txt").read_text()
            rerun_started, _ = _events(resume_log)
            resumed = json.loads(output.read_text())
            rows.append(
                {
                    "kill": kill + 1,
                    "n_jobs": n_jobs,
                    "killed at s": round(kill_after, 2),
                    "killed": killed is not None,
                    "started": started,
                    "ended": ended,
                    "in flight": started - ended,
                    "saved": saved,
                    "lost": started - saved,
                    "ended 0.1 s before, lost": max(0, ended_before - saved),
                    "rerun": rerun_started - (N_CANDIDATES * N_SPLITS - saved),
                    "identical": resumed == references[n_jobs],
                }
            )
            print(f"  kill {kill + 1}/{n_kills} done", flush=True)
    table = pd.DataFrame(rows)
    killed = table[table["killed"]]
    summary = pd.DataFrame(
        [
            {
                "n_jobs": n_jobs,
                "kills": len(group),
                "median lost": group["lost"].median(),
                "max lost": group["lost"].max(),
                "median in flight": group["in flight"].median(),
                "lost <= in flight": int((group["lost"] <= group["in flight"]).sum()),
                "ended 0.1 s before, lost": int(
                    group["ended 0.1 s before, lost"].sum()
                ),
                "fits rerun": int(group["rerun"].sum()),
                "identical after resume": int(group["identical"].sum()),
            }
            for n_jobs, group in killed.groupby("n_jobs")
        ]
    )
    return table, summary


def _outs(rng, n_splits):
    return [
        {
            "fit_error": None,
            "test_scores": float(rng.uniform(0.5, 1.0)),
            "n_test_samples": 100,
            "fit_time": float(rng.uniform(0.01, 2.0)),
            "score_time": float(rng.uniform(0.001, 0.1)),
        }
        for _ in range(n_splits)
    ]


def _candidate(rng):
    return {
        "C": float(10 ** rng.uniform(-3, 3)),
        "gamma": float(10 ** rng.uniform(-5, 1)),
        "kernel": str(rng.choice(["rbf", "sigmoid", "poly"])),
    }


def _save_version_1(path, fingerprint, evaluations, n_splits):
    """Write a checkpoint as sklearn_hp 0.1 did after each batch.

    One JSON document with every evaluation so far, written to a new file,
    synced, and renamed over the old one. Returns the bytes written.
    """
    from sklearn_hp.model_selection._checkpoint import _encode

    document = {
        "format": "sklearn_hp.BayesSearchCV checkpoint",
        "version": 1,
        "fingerprint": fingerprint,
        "n_splits": n_splits,
        "evaluations": [
            {
                "params": {name: _encode(v) for name, v in params.items()},
                "folds": [{k: _encode(v) for k, v in fold.items()} for fold in folds],
                "propose_time": _encode(propose_time),
            }
            for params, folds, propose_time in evaluations
        ],
    }
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    with os.fdopen(handle, "w") as file:
        json.dump(document, file, allow_nan=False)
        file.flush()
        os.fsync(file.fileno())
        written = file.tell()
    os.replace(temporary, path)
    return written


def checkpoint_cost(sizes, batch, seed, n_splits=5):
    """Table 2: bytes and seconds of saving, before and after."""
    from sklearn_hp.model_selection._checkpoint import Checkpoint

    fingerprint = {
        part: "0" * 32 for part in ("data", "splits", "estimator", "scoring")
    }
    rows = []
    for size in sizes:
        rng = np.random.default_rng(seed)
        evaluations = [
            (_candidate(rng), _outs(rng, n_splits), 0.003) for _ in range(size)
        ]
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "before.json")
            written, seconds = 0, 0.0
            for end in range(batch, size + batch, batch):
                start = time.perf_counter()
                written += _save_version_1(
                    path, fingerprint, evaluations[:end], n_splits
                )
                seconds += time.perf_counter() - start
            rows.append(
                _cost_row(
                    "before (one document per batch)", size, n_splits, written, seconds
                )
            )

            path = os.path.join(directory, "after.jsonl")
            checkpoint = Checkpoint(path, fingerprint, "plan", n_splits, [], False)
            start = time.perf_counter()
            checkpoint.open()
            for params, folds, propose_time in evaluations:
                key = checkpoint.candidate(params, propose_time)
                for fold, out in enumerate(folds):
                    checkpoint.fold(key, fold, out)
            checkpoint.close()
            seconds = time.perf_counter() - start
            written = os.path.getsize(path)
            rows.append(
                _cost_row("after (a line per fit)", size, n_splits, written, seconds)
            )
        print(f"  {size} candidates measured", flush=True)
    return pd.DataFrame(rows)


def _cost_row(checkpoint, size, n_splits, written, seconds):
    return {
        "candidates": size,
        "checkpoint": checkpoint,
        "MB written": round(written / 1e6, 2),
        "seconds saving": round(seconds, 2),
        "ms per fit": round(1000 * seconds / (size * n_splits), 3),
        "bytes per fit": round(written / (size * n_splits)),
    }


def _trial(check, counts, failures, generated):
    """Return a function that checks one generated case and counts the outcome."""
    import warnings

    def trial(case):
        counts["tried"] += 1
        try:
            # with a checkpoint: a refused search must leave no file
            with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                checkpoint = None
                if case.takes_checkpoint:
                    checkpoint = os.path.join(folder, "search.jsonl")
                check(case.search(checkpoint), generated.X, generated.Y, case.expected)
        except AssertionError as error:
            failures.append(str(error).splitlines()[0][:100])
        else:
            counts["as expected"] += 1

    return trial


def bad_input(max_examples):
    """Table 3: the generated bad inputs, and how many were refused as they should."""
    from hypothesis import HealthCheck, Phase, given, settings

    root = Path(__file__).parents[1]
    sys.path.insert(0, str(root))
    try:
        from tests.model_selection import test_bad_input_generated as generated
    finally:
        sys.path.remove(str(root))
    rows = []
    for category, strategy in generated.STRATEGIES.items():
        tolerated = category in generated.TOLERATED
        check = generated.check_tolerated if tolerated else generated.check_refused
        counts = {"tried": 0, "as expected": 0}
        failures = []

        trial = _trial(check, counts, failures, generated)
        run = settings(
            max_examples=max_examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(trial))
        run()
        rows.append(
            {
                "category": category,
                "kind": "tolerated" if tolerated else "refused",
                "tried": counts["tried"],
                "as expected": counts["as expected"],
                "first miss": failures[0] if failures else "",
            }
        )
        print(f"  {category}: {counts['as expected']}/{counts['tried']}", flush=True)
    table = pd.DataFrame(rows)
    total = {
        "category": "all",
        "kind": "",
        "tried": int(table["tried"].sum()),
        "as expected": int(table["as expected"].sum()),
        "first miss": "",
    }
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the tables to this JSON file")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    tables = {}
    if 1 in args.tables:
        print(
            f"\n1. Kill and resume: {args.kills} searches killed by SIGKILL "
            f"({N_CANDIDATES} candidates x {N_SPLITS} folds, fits of 20-120 ms)"
        )
        table, summary = kill_and_resume(args.kills, args.seed)
        print(table.to_string(index=False))
        print()
        print(summary.to_string(index=False))
        tables["kill_and_resume"] = table
        tables["kill_and_resume_summary"] = summary
    if 2 in args.tables:
        print(
            f"\n2. Checkpoint cost: 5 folds per candidate, before: a batch of "
            f"{args.batch} candidates per save"
        )
        table = checkpoint_cost(args.sizes, args.batch, args.seed)
        print(table.to_string(index=False))
        tables["checkpoint_cost"] = table
    if 3 in args.tables:
        print(f"\n3. Bad input, generated ({args.examples} examples per kind)")
        table = bad_input(args.examples)
        print(table.to_string(index=False))
        tables["bad_input"] = table
    if args.json:
        with open(args.json, "w") as file:
            json.dump(
                {
                    "machine": machine(),
                    **{
                        name: table.to_dict(orient="records")
                        for name, table in tables.items()
                    },
                },
                file,
                indent=2,
                default=lambda value: (
                    value.item() if hasattr(value, "item") else str(value)
                ),
            )
    return tables


if __name__ == "__main__":
    main()
