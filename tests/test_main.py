import re
import subprocess
import sys

import pytest

from sklearn_hp import __version__
from sklearn_hp.__main__ import main
from tests._doubles import skops_pipelines

try:
    import skops.io as skops_io
except ImportError:
    skops_io = None

needs_skops = pytest.mark.skipif(skops_io is None, reason="needs skops")

GRADIENT_DESCENT = "sklearn_hp.linear_model._gradient_descent.GradientDescentClassifier"


def test_demo_shows_hyperparameters_and_learned_parameters(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "coef_ (1,30), intercept_ (1,)  ->  31 values" in out
    assert "coefs_ [(30,20), (20,1)], intercepts_ [(20,), (1,)]  ->  641 values" in out
    # k-NN stores its training set: 426 samples x 30 features + 426 labels.
    assert "X_fit_ (426,30), y_fit_ (426,)  ->  13206 values" in out
    accuracies = [float(a) for a in re.findall(r"test accuracy (\d\.\d+)", out)]
    assert len(accuracies) == 3
    assert min(accuracies) > 0.9
    # the tuning table: BayesSearchCV with 30 candidates against a grid of 112
    bayes = re.search(r"BayesSearchCV +30 +150 +(\d\.\d+)", out)
    grid = re.search(r"GridSearchCV +112 +560 +(\d\.\d+)", out)
    assert bayes
    assert grid
    assert float(bayes.group(1)) >= float(grid.group(1)) - 0.01
    # both spaces and both best candidates are shown
    assert "learning_rate  log-uniform on [0.0001, 1]" in out
    assert "7 x 8 x 2 = 112" in out
    assert re.search(r"  BayesSearchCV +alpha=.*solver='(adam|sgd)'", out)
    assert re.search(r"  GridSearchCV +alpha=.*solver='(adam|sgd)'", out)
    # a model's hyperparameters: how many of how many, changed ones first
    # (marked *), seeds last; every one when there are few
    assert "(6 of 17: those changed, the main defaults, seeds)" in out
    network = out[out.index("NeuralNetworkClassifier  (") :]
    shown = network[: network.index("learned")]
    assert shown.index("early_stopping=True*") < shown.index("alpha=0.0001")
    assert shown.rstrip().endswith("random_state=0*")
    assert "(all 3)" in out
    # alpha as written, and the weights' length explained
    assert re.search(r"\n +1 +\d\.\d+ +\d+ +\d\.\d+\n", out)
    assert "0.0001" in out
    assert "1.0000" not in out
    assert "||coef_|| is their" in out


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "demo" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["nonsense"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.fixture
def model_file(tmp_path):
    import joblib
    from sklearn.datasets import load_iris
    from sklearn.svm import SVC

    path = tmp_path / "model.joblib"
    joblib.dump(SVC(C=2.0).fit(*load_iris(return_X_y=True)), path)
    return path


def test_inspect_refuses_an_untrusted_file(model_file, capsys):
    assert main(["inspect", str(model_file)]) == 2
    err = capsys.readouterr().err
    assert "refusing to load" in err
    assert "--trust" in err
    assert "runs" in err


def test_inspect_prints_the_report(model_file, capsys):
    assert main(["inspect", "--trust", str(model_file)]) == 0
    out = capsys.readouterr().out
    assert "SVC (fitted)" in out
    assert "support_vectors_" in out
    assert "C " in out


def test_inspect_names_fitted_attributes_as_python_reads_them(tmp_path, capsys):
    import joblib
    from sklearn.datasets import load_iris
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC())])
    search = GridSearchCV(pipe, {"svc__C": [1.0, 2.0]}, cv=2)
    path = tmp_path / "search.joblib"
    joblib.dump(search.fit(*load_iris(return_X_y=True)), path)
    assert main(["inspect", "--trust", str(path)]) == 0
    out = capsys.readouterr().out
    assert "best_estimator_.svc.support_vectors_" in out
    assert "best_estimator_.scale.mean_" in out
    assert "___" not in out
    assert "estimator__svc__C" in out


def test_inspect_json(model_file, capsys):
    import json

    assert main(["inspect", "--trust", "--format", "json", str(model_file)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["estimator"] == "SVC"
    assert report["n_learned"] > 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a pickle at all", "is not a model file"), (None, "holds a dict")],
)
def test_inspect_rejects_what_is_not_a_model(tmp_path, capsys, content, message):
    path = tmp_path / "thing.pkl"
    if content is None:
        import pickle

        path.write_bytes(pickle.dumps({"a": 1}))
    else:
        path.write_bytes(content)
    assert main(["inspect", "--trust", str(path)]) == 1
    assert message in capsys.readouterr().err


def test_inspect_missing_file(tmp_path, capsys):
    assert main(["inspect", "--trust", str(tmp_path / "absent.joblib")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_a_missing_file_is_said_so_before_any_trust_is_asked(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "absent.joblib")]) == 1
    err = capsys.readouterr().err
    assert "no such file" in err
    assert "--trust" not in err
    assert main(["inspect", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err


def test_output_cut_short_by_its_reader_is_no_traceback(model_file):
    command = [sys.executable, "-m", "sklearn_hp", "inspect", "--trust"]
    process = subprocess.Popen(
        [*command, str(model_file), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # the reader goes away before the report is written, as head does once
    # it has its lines: the report's first write meets a closed pipe
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr


# -- .skops files ---------------------------------------------------------------


@pytest.fixture(scope="module")
def saved_skops(tmp_path_factory):
    return skops_pipelines(tmp_path_factory.mktemp("skops"))


@pytest.fixture(scope="module")
def sklearn_skops_file(saved_skops):
    """A fitted pipeline of scikit-learn's own estimators, which skops trusts."""
    return saved_skops["sklearn"][1]


@pytest.fixture(scope="module")
def our_skops_file(saved_skops):
    """A fitted pipeline ending with one of sklearn_hp's estimators."""
    return saved_skops["ours"][1]


@needs_skops
def test_inspect_reads_a_skops_file_of_scikit_learn_types_without_trust(
    sklearn_skops_file, capsys
):
    assert main(["inspect", str(sklearn_skops_file)]) == 0
    captured = capsys.readouterr()
    assert "Pipeline (fitted)" in captured.out
    assert "logisticregression.coef_" in captured.out
    assert captured.err == ""


@needs_skops
def test_inspect_json_of_a_skops_file(sklearn_skops_file, capsys):
    import json

    assert main(["inspect", "--format", "json", str(sklearn_skops_file)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["estimator"] == "Pipeline"
    assert report["n_learned"] > 0


@needs_skops
def test_inspect_names_the_untrusted_types_of_a_skops_file(our_skops_file, capsys):
    untrusted = skops_io.get_untrusted_types(file=our_skops_file)
    assert GRADIENT_DESCENT in untrusted
    assert main(["inspect", str(our_skops_file)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err
    assert f"refusing to load {our_skops_file}" in err
    assert f"holds {len(untrusted)} types that skops does not trust" in err
    for name in untrusted:
        assert f"\n    {name}\n" in err
        assert f"--trust-type {name}" in err
    assert "sklearn_hp's own classes" in err
    assert "or with --trust" in err
    assert "Traceback" not in err


@needs_skops
def test_inspect_loads_the_types_named_trusted(our_skops_file, capsys):
    untrusted = skops_io.get_untrusted_types(file=our_skops_file)
    options = [f"--trust-type={name}" for name in untrusted]
    assert main(["inspect", *options, str(our_skops_file)]) == 0
    out = capsys.readouterr().out
    assert "Pipeline (fitted)" in out
    assert "gradientdescentclassifier.coef_" in out
    assert main(["inspect", "--trust", str(our_skops_file)]) == 0
    assert capsys.readouterr().out == out


@needs_skops
def test_inspect_refuses_the_types_left_untrusted(our_skops_file, capsys):
    assert main(["inspect", "--trust-type", GRADIENT_DESCENT, str(our_skops_file)]) == 2
    err = capsys.readouterr().err
    assert "holds 1 type that" in err
    assert f"--trust-type {GRADIENT_DESCENT}" not in err


@needs_skops
@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"not a skops file", "BadZipFile"), (None, "schema.json")],
)
def test_inspect_rejects_a_file_that_is_not_a_skops_file(
    tmp_path, capsys, content, reason
):
    path = tmp_path / "model.skops"
    if content is None:
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "no schema here")
    else:
        path.write_bytes(content)
    for trust in ([], ["--trust"]):
        assert main(["inspect", *trust, str(path)]) == 1
        err = capsys.readouterr().err
        assert f"{path} is not a model file skops can read" in err
        assert reason in err
        assert "Traceback" not in err


class _Payload:
    """Creates a file when unpickled: what a malicious pickle could do."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@needs_skops
def test_a_pickle_named_skops_is_not_unpickled(tmp_path, capsys):
    import pickle

    marker = tmp_path / "ran"
    path = tmp_path / "model.skops"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    assert main(["inspect", "--trust", str(path)]) == 1
    assert "is not a model file skops can read" in capsys.readouterr().err
    assert not marker.exists()


def test_inspect_without_skops_names_the_extra(monkeypatch, capsys, tmp_path):
    path = tmp_path / "model.skops"
    path.write_bytes(b"any content: skops is needed to tell")
    # None in sys.modules makes the import fail, as if not installed.
    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    assert main(["inspect", str(path)]) == 1
    err = capsys.readouterr().err
    assert 'pip install "sklearn_hp[skops]"' in err
    assert "Traceback" not in err
    # a missing file is said so first, skops or not
    assert main(["inspect", str(tmp_path / "absent.skops")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_trust_type_is_for_skops_files_only(model_file, capsys):
    assert (
        main(["inspect", "--trust-type", "sklearn.svm._classes.SVC", str(model_file)])
        == 2
    )
    err = capsys.readouterr().err
    assert "--trust-type names types to load from a .skops file" in err
    assert "--trust," in err


def test_trust_and_trust_type_are_exclusive(model_file, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["inspect", "--trust", "--trust-type", "a.B", str(model_file)])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_pickle_is_refused_with_a_pointer_to_skops(model_file, capsys):
    assert main(["inspect", str(model_file)]) == 2
    assert "skops.io.dump" in capsys.readouterr().err
