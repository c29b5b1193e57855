"""Custom Rasa NLU components: language detection and the municipality gazetteer."""
