"""Staff accounts: argon2 password hashes, roles and what each may edit; `python -m catalog.staff` (make admin).

Roles: admin (accounts and everything), editor (all content, all languages), translator (the texts of the
languages assigned), municipal_editor (their municipality's pages and local notes). There is no default
account and no default password: the first admin is created by the command, the rest by an admin.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.models import ROLES, Municipality, StaffAccount
from catalog.session import session_scope
from common.languages import LANGUAGES

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """A clear reason an account cannot be created or changed."""


def create_account(session: Session, *, email: str, name: str, password: str, role: str,
                   languages: list[str] | None = None, municipality: str | None = None) -> StaffAccount:
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError("e-mail address needed")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalars(select(StaffAccount).where(func.lower(StaffAccount.email) == email)).first():
        raise AccountError(f"an account for {email} exists")
    unknown = [language for language in languages or [] if language not in LANGUAGES]
    if unknown or (role == "translator" and not languages):
        raise AccountError(f"a translator needs languages from {', '.join(LANGUAGES)}")
    place = None
    if role == "municipal_editor":
        place = session.scalars(select(Municipality).where(Municipality.name == (municipality or ""))).first()
        if place is None:
            raise AccountError("a municipal editor needs one of the 24 municipalities")
    account = StaffAccount(email=email, name=name.strip() or email, password_hash=_hasher.hash(password), role=role,
                           languages=list(languages or []) if role == "translator" else [], municipality=place)
    session.add(account)
    session.flush()
    return account


def authenticate(session: Session, email: str, password: str) -> StaffAccount | None:
    account = session.scalars(
        select(StaffAccount).where(func.lower(StaffAccount.email) == email.strip().lower(), StaffAccount.active)
    ).first()
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account and _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return account


def may_edit_text(account: StaffAccount, language: str) -> bool:
    return account.role in ("admin", "editor") or (account.role == "translator" and language in account.languages)


def may_edit_topic(account: StaffAccount) -> bool:
    return account.role in ("admin", "editor")


def may_edit_municipality(account: StaffAccount, municipality: Municipality) -> bool:
    return account.role in ("admin", "editor") or (
        account.role == "municipal_editor" and account.municipality_id == municipality.id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m catalog.staff", description="Create a staff account.")
    parser.add_argument("email")
    parser.add_argument("--name", default="")
    parser.add_argument("--role", default="admin", choices=ROLES)
    parser.add_argument("--languages", default="", help="a translator's languages, comma-separated")
    parser.add_argument("--municipality", default=None, help="a municipal editor's municipality")
    args = parser.parse_args(argv)
    # The password never goes on the command line (shell history, process list): asked for, or read from
    # LOTSEN_NEW_PASSWORD where there is no terminal (scripts, tests).
    password = os.environ.get("LOTSEN_NEW_PASSWORD") or (getpass.getpass("Password: ") if sys.stdin.isatty() else "")
    try:
        with session_scope() as session:
            account = create_account(session, email=args.email, name=args.name, password=password, role=args.role,
                                     languages=[x for x in args.languages.split(",") if x],
                                     municipality=args.municipality)
            print(f"created {account.role} {account.email}")
    except AccountError as error:
        print(f"staff: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
