"""The staff admin at /admin: server-rendered pages (Jinja2), no JavaScript build step.

auth.py     sign-in, signed session cookie, CSRF tokens, login rate limit, role checks
texts.py    the admin's own texts in Swedish and English (gettext domain "admin" in locales/)
routes.py   the pages: FAQ topics side by side, municipal pages, local notes, audit log, coverage, accounts
Content changes go through catalog/editing.py (validation + audit log); the preview is the NLG renderer's.
"""
