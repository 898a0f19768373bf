"""The headless command line (`smjob ...`). It opens the Textual app only for `smjob`, `edit` and `demo`."""

from smjob.cli.main import main

__all__ = ["main"]
