"""What the launcher tells the person at the terminal."""

import contextlib


def say(message: str = "") -> None:
    # A closed terminal or pipe must not stop the launcher from stopping its children.
    with contextlib.suppress(OSError):
        print(message, flush=True)
