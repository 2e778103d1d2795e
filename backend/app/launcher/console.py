"""What the launcher tells the person at the terminal."""


def say(message: str = "") -> None:
    print(message, flush=True)
