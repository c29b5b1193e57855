"""What both Python environments share — the Rasa side (.venv/bot) and the app side (.venv/app).

Standard library only (tests/unit/test_common.py proves it): language codes and how a reply's language is
decided, the bot's message ids and English source texts, and place-name folding.
"""
