"""The municipal-services database: models, queries, retrieval, seed, migrations, content report, sessions.

The base of the house: the actions, the NLG endpoint, the JSON API and the model build read it through
`catalog.queries`; it imports nothing from `api`, `bot`, `actions` or `launcher` (.importlinter).
"""
