"""`python -m console` runs the same entry point as the `cognito-console` script."""

import sys

from console.cli import main

sys.exit(main())
