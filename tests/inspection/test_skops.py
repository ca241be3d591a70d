"""ParamInspector given a model file: .skops files read safely, pickles refused."""

import pickle
import sys
from pathlib import Path

import pytest
from sklearn.linear_model import LogisticRegression

from sklearn_hp import GradientDescentClassifier, ParamInspector
from tests._doubles import skops_pipelines

try:
    import skops.io as skops_io
except ImportError:
    skops_io = None

needs_skops = pytest.mark.skipif(skops_io is None, reason="needs skops")

GRADIENT_DESCENT = "sklearn_hp.linear_model._gradient_descent.GradientDescentClassifier"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return skops_pipelines(tmp_path_factory.mktemp("skops"))


@pytest.fixture(scope="module")
def sklearn_file(saved):
    """A fitted pipeline of scikit-learn's own estimators, which skops trusts."""
    return saved["sklearn"]


@pytest.fixture(scope="module")
def our_file(saved):
    """A fitted pipeline ending with one of sklearn_hp's estimators."""
    return saved["ours"]


@needs_skops
@pytest.mark.parametrize("as_text", [False, True], ids=["Path", "str"])
def test_a_skops_file_of_scikit_learn_types_loads_untrusted(sklearn_file, as_text):
    model, path = sklearn_file
    inspector = ParamInspector(str(path) if as_text else path)
    assert type(inspector.estimator).__name__ == "Pipeline"
    assert inspector.estimator is not model
    assert inspector.is_fitted()
    assert inspector.to_dict() == ParamInspector(model).to_dict()


@needs_skops
def test_sklearn_hp_types_are_untrusted_and_named(our_file):
    _, path = our_file
    assert GRADIENT_DESCENT in skops_io.get_untrusted_types(file=path)
    with pytest.raises(TypeError, match="refusing to load") as error:
        ParamInspector(path)
    message = str(error.value)
    assert str(path) in message
    assert GRADIENT_DESCENT in message
    assert "sklearn_hp's own classes" in message
    assert "pass trusted=['sklearn_hp." in message


@needs_skops
def test_every_untrusted_type_must_be_named(our_file):
    model, path = our_file
    untrusted = skops_io.get_untrusted_types(file=path)
    # the estimator's solver is a type of its own, untrusted too
    assert len(untrusted) > 1
    with pytest.raises(TypeError, match="refusing to load") as error:
        ParamInspector(path, trusted=[GRADIENT_DESCENT])
    message = str(error.value)
    assert f"holds {len(untrusted) - 1} type" in message
    assert "\n    " + GRADIENT_DESCENT not in message
    inspector = ParamInspector(str(path), trusted=untrusted)
    assert type(inspector.estimator[-1]) is GradientDescentClassifier
    assert inspector.n_learned() == ParamInspector(model).n_learned()


class _Payload:
    """Creates a file when unpickled: what a malicious pickle could do."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize(
    ("name", "as_path"),
    [
        ("model.pkl", str),
        ("model.joblib", str),
        ("model.PICKLE", str),
        ("model.joblib", Path),
        ("model.bin", Path),
    ],
)
def test_a_pickle_is_refused_and_never_loaded(tmp_path, name, as_path):
    marker = tmp_path / "ran"
    path = tmp_path / name
    path.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ValueError, match=r"\.skops files only") as error:
        ParamInspector(as_path(path))
    assert str(path) in str(error.value)
    assert "runs whatever code it holds" in str(error.value)
    assert "joblib.load" in str(error.value)
    assert not marker.exists()


@needs_skops
def test_a_pickle_named_skops_is_not_unpickled(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "model.skops"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ValueError, match="is not a model file skops can read"):
        ParamInspector(path)
    assert not marker.exists()


@needs_skops
@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"not a zip file", "BadZipFile"), (None, "schema.json")],
)
def test_a_file_that_is_not_a_skops_file_is_named(tmp_path, content, reason):
    path = tmp_path / "model.skops"
    if content is None:
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "no schema here")
    else:
        path.write_bytes(content)
    with pytest.raises(ValueError, match="is not a model file skops can read") as error:
        ParamInspector(path)
    assert str(path) in str(error.value)
    assert reason in str(error.value)


@needs_skops
def test_a_missing_skops_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        ParamInspector(tmp_path / "absent.skops")


def test_missing_skops_names_the_extra(monkeypatch, tmp_path):
    # None in sys.modules makes the import fail, as if not installed.
    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    with pytest.raises(ImportError, match=r'pip install "sklearn_hp\[skops\]"'):
        ParamInspector(tmp_path / "model.skops")


@needs_skops
def test_trusted_is_a_list_of_names(sklearn_file):
    _, path = sklearn_file
    with pytest.raises(TypeError, match=r"list of type names, such as \['a.B'\]"):
        ParamInspector(path, trusted="a.B")


def test_trusted_applies_to_a_file_only():
    with pytest.raises(ValueError, match="trusted names the types to load"):
        ParamInspector(LogisticRegression(), trusted=[GRADIENT_DESCENT])


def test_a_str_that_is_no_model_file_is_refused_when_used():
    inspector = ParamInspector("model.skop")  # nothing is read: not a file's name
    with pytest.raises(TypeError, match=r"path of a \.skops file"):
        inspector.hyperparameters()


def test_an_estimator_is_inspected_as_given():
    model = LogisticRegression()
    assert ParamInspector(model).estimator is model
