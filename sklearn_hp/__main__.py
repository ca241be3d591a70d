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
refusing to load {path}: a model file is a pickle, and loading a pickle runs
whatever code it holds, with your permissions. Pass --trust only if you made
the file or trust whoever did."""


def _inspect(args: argparse.Namespace) -> int:
    path = args.model_file
    # a file that is not there is said so first: no trust is needed to know it
    if not os.path.exists(path):
        print(f"sklearn-hp inspect: no such file: {path}", file=sys.stderr)
        return 1
    if os.path.isdir(path):
        print(f"sklearn-hp inspect: {path} is a directory, not a file", file=sys.stderr)
        return 1
    if not args.trust:
        print(f"sklearn-hp inspect: {_UNTRUSTED.format(path=path)}", file=sys.stderr)
        return 2
    import joblib

    from .inspection import ParamInspector

    try:
        model = joblib.load(path)
    except FileNotFoundError:
        print(f"sklearn-hp inspect: no such file: {path}", file=sys.stderr)
        return 1
    except Exception as exc:  # any unreadable file gets one message
        print(
            f"sklearn-hp inspect: {path} is not a model file joblib or pickle can "
            f"read ({type(exc).__name__}: {exc})",
            file=sys.stderr,
        )
        return 1
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
        description="Load an estimator saved with joblib.dump or pickle and print "
        "its hyperparameters (with defaults and what changed) and its fitted "
        "parameters (kinds, shapes, counts of learned values).",
    )
    inspect.add_argument(
        "model_file", metavar="MODEL_FILE", help="joblib or pickle file"
    )
    inspect.add_argument(
        "--trust",
        action="store_true",
        help="load the file although loading a pickle can run arbitrary code",
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
        model file, or a reader that closed the output early), 2 on a usage
        error or a refusal to load an untrusted file.
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
