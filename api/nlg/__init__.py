"""Natural language generation: every bot text, rendered in the conversation's language."""
