"""The municipal-services catalog: models, queries and seed loading. The only code that talks SQL."""
