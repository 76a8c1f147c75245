"""`python -m smallprint.checker` runs the command line."""

from smallprint.checker.cli import main

main()
