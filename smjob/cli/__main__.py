"""`python -m smjob.cli`: the headless commands only (the `smjob` script also opens the editor)."""

import sys

from smjob.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
