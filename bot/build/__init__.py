"""The Rasa side builds itself: export the training inputs from the repository and the catalog, then train
the model only when those inputs changed. Runs in the app environment (it reads the catalog); training
itself runs `rasa train` from .venv/bot."""
