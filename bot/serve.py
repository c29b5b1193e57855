"""`python -m bot.serve run …`: Rasa's own command line, with Lotsen's changes to Rasa installed first.

The one place they are installed (bot/remote_action.py says what they change and why); the launcher starts
Rasa through here, so a server without them cannot happen by accident.
"""
from __future__ import annotations

from bot import remote_action


def main() -> None:
    remote_action.install()
    from rasa.__main__ import main as rasa_main  # after install: Rasa's CLI imports the patched class

    rasa_main()


if __name__ == "__main__":
    main()
