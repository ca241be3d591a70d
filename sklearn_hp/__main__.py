"""Command line: ``sklearn-hp`` or ``python -m sklearn_hp``."""

import argparse
import sys

from . import __version__


def _demo(args: argparse.Namespace) -> int:
    from ._demo import run_demo

    print(run_demo(random_state=args.random_state))
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
        help="fit three models on a data set scikit-learn ships and show what "
        "each one learns",
        description="Fit a linear model, a neural network and k-NN on the breast "
        "cancer data set; show their hyperparameters, their learned parameters and "
        "how the number of learned values grows with the data.",
    )
    demo.add_argument(
        "--random-state", type=int, default=0, help="seed of the split and models"
    )
    demo.set_defaults(handler=_demo)
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
        0 on success, 2 on a usage error.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
