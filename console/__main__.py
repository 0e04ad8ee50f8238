"""`python -m console` runs the same entry point as the `cognito-console` script."""

from console.cli import run

run()
