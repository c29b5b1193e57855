"""Lotsen app: NLG endpoint, staff admin, JSON API and web chat — and the catalog it serves."""
