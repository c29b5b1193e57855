"""Custom actions: parse slots, ask the catalog, utter response names with arguments. No text here."""
