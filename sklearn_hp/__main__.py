"""Command line: ``sklearn-hp`` or ``python -m sklearn_hp``."""

import argparse
import os
import sys

from . import __version__


def _demo(args: argparse.Namespace) -> int:
    from ._demo import run_demo

    print(run_demo(random_state=args.random_state))
    return 0


_UNTRUSTED = """\
refusing to load {path}: loading a pickle or joblib file runs whatever code
it holds, with your permissions. Pass --trust only if you made the file or
trust whoever did. A model saved with skops.io.dump, as a .skops file, is
read with skops' safe loader instead."""

_TRUST_TYPES = """
If you made the file or trust whoever did, rerun with these types trusted:
    {options}
or with --trust, which trusts every type in the file."""


class _Failure(Exception):
    """Ends ``inspect`` with a message on stderr and an exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _load_pickle(path: str, args: argparse.Namespace) -> object:
    if args.trust_type:
        raise _Failure(
            f"--trust-type names types to load from a .skops file, and {path} is "
            "not one: a pickle is trusted whole, with --trust, or not at all",
            2,
        )
    if not args.trust:
        raise _Failure(_UNTRUSTED.format(path=path), 2)
    import joblib

    try:
        return joblib.load(path)
    except FileNotFoundError:
        raise _Failure(f"no such file: {path}", 1) from None
    except Exception as exc:  # any unreadable file gets one message
        raise _Failure(
            f"{path} is not a model file joblib or pickle can read "
            f"({type(exc).__name__}: {exc})",
            1,
        ) from None


def _load_skops(path: str, args: argparse.Namespace) -> object:
    from .inspection._loading import load_skops, read_untrusted_types, untrusted_text

    try:
        untrusted = read_untrusted_types(path)
        trusted = untrusted if args.trust else (args.trust_type or [])
        refused = [name for name in untrusted if name not in trusted]
        if refused:
            options = " ".join(f"--trust-type {name}" for name in refused)
            raise _Failure(
                untrusted_text(path, refused) + _TRUST_TYPES.format(options=options),
                2,
            )
        return load_skops(path, trusted=untrusted)
    except ImportError as exc:  # skops, an optional dependency, is missing
        raise _Failure(str(exc), 1) from None
    except FileNotFoundError:
        raise _Failure(f"no such file: {path}", 1) from None
    except ValueError as exc:  # not a file skops can read
        raise _Failure(str(exc), 1) from None


def _inspect(args: argparse.Namespace) -> int:
    path = args.model_file
    # a file that is not there is said so first: no trust is needed to know it
    if not os.path.exists(path):
        print(f"sklearn-hp inspect: no such file: {path}", file=sys.stderr)
        return 1
    if os.path.isdir(path):
        print(f"sklearn-hp inspect: {path} is a directory, not a file", file=sys.stderr)
        return 1
    from .inspection import ParamInspector
    from .inspection._loading import is_skops_path

    try:
        model = (_load_skops if is_skops_path(path) else _load_pickle)(path, args)
    except _Failure as failure:
        print(f"sklearn-hp inspect: {failure}", file=sys.stderr)
        return failure.code
    if not hasattr(model, "get_params") or isinstance(model, type):
        print(
            f"sklearn-hp inspect: {path} holds a {type(model).__name__}, not an "
            "estimator (an object with get_params)",
            file=sys.stderr,
        )
        return 1
    inspector = ParamInspector(model)
    if args.format == "json":
        import json

        print(json.dumps(inspector.to_dict(), indent=2))
    elif args.format == "html":
        print(inspector._repr_html_())
    else:
        print(inspector)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sklearn-hp",
        description="Hyperparameters vs learned parameters of scikit-learn models.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND"
    )
    demo = commands.add_parser(
        "demo",
        help="fit three models on a data set scikit-learn ships, show what each "
        "one learns, then tune one with BayesSearchCV and GridSearchCV",
        description="Fit a linear model, a neural network and k-NN on the breast "
        "cancer data set; show their hyperparameters, their learned parameters and "
        "how the number of learned values grows with the data; then tune the "
        "hyperparameters of a pipeline with BayesSearchCV and with GridSearchCV "
        "and compare their scores and numbers of fits.",
    )
    demo.add_argument(
        "--random-state", type=int, default=0, help="seed of the split and models"
    )
    demo.set_defaults(handler=_demo)

    inspect = commands.add_parser(
        "inspect",
        help="show the hyperparameters and learned parameters of a saved model",
        description="Load an estimator saved with skops.io.dump (a .skops file, "
        "read with skops' safe loader: the types skops does not trust by default, "
        "sklearn_hp's own among them, are loaded only when named with --trust-type "
        "or trusted with --trust) or with joblib.dump or pickle (loaded only with "
        "--trust, since loading a pickle runs whatever code it holds) and print its "
        "hyperparameters (with defaults and what changed) and its fitted parameters "
        "(kinds, shapes, counts of learned values).",
    )
    inspect.add_argument(
        "model_file",
        metavar="MODEL_FILE",
        help='.skops file (needs skops: pip install "sklearn_hp[skops]"), or a '
        "joblib or pickle file",
    )
    trust = inspect.add_mutually_exclusive_group()
    trust.add_argument(
        "--trust",
        action="store_true",
        help="load the file although loading it can run arbitrary code: a pickle "
        "or joblib file, or a .skops file with every type it holds trusted",
    )
    trust.add_argument(
        "--trust-type",
        action="append",
        metavar="TYPE",
        help="load this type from a .skops file although skops does not trust it "
        "by default (its full name, as listed when loading is refused); repeat "
        "for each type",
    )
    inspect.add_argument(
        "--format",
        choices=("text", "json", "html"),
        default="text",
        help="report format (default: text)",
    )
    inspect.set_defaults(handler=_inspect)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` if None.

    Returns
    -------
    exit_code : int
        0 on success, 1 when the command fails (a missing or unreadable
        model file, skops missing for a ``.skops`` file, or a reader that
        closed the output early), 2 on a usage error or a refusal to load an
        untrusted file or type.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        code = args.handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (``| head``): not an error worth a traceback.
        # Python flushes stdout again at exit, into the closed pipe: point
        # it at the null device first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
