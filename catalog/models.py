"""Typed SQLAlchemy 2 models of the catalog. Schema changes go through Alembic (catalog/migrations)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

LOCAL_NOTE_MAX_CHARS = 400  # a note adds a line or two under the national answer


class Base(DeclarativeBase):
    pass


class County(Base):
    __tablename__ = "county"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(2), unique=True)
    region: Mapped[str] = mapped_column(String(120))
    website: Mapped[str] = mapped_column(String(500))
    # How people name the county or region besides its official names ("Värmland", "Вермланд").
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    municipalities: Mapped[list[Municipality]] = relationship(back_populates="county", order_by="Municipality.name")


class Municipality(Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    official_name: Mapped[str] = mapped_column(String(120))
    scb_code: Mapped[str] = mapped_column(String(4), unique=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("county.id"))
    website: Mapped[str] = mapped_column(String(500))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Localities (tätorter, SCB) of the municipality: [{"name": "Järpen", "aliases": ["Ярпен", "يربن"]}]
    localities: Mapped[list[dict]] = mapped_column(JSON, default=list)

    county: Mapped[County] = relationship(back_populates="municipalities")
    services: Mapped[list[Service]] = relationship(back_populates="municipality")


class ServiceCategory(Base):
    __tablename__ = "service_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    scope: Mapped[str] = mapped_column(String(12))  # "municipal" or "county"


class Service(Base):
    """A municipal (or county-wide) service page. Contact details stay empty unless verified."""

    __tablename__ = "service"
    __table_args__ = (
        CheckConstraint("(municipality_id IS NULL) <> (county_id IS NULL)", name="service_has_one_owner"),
        UniqueConstraint("category_id", "municipality_id", "county_id", "url", name="service_unique_page"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_category.id"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("county.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    opening_hours: Mapped[str | None] = mapped_column(String(300))
    checked_source: Mapped[str | None] = mapped_column(String(500))
    # True: the owner has no such service (url = the official page that shows it); never shown as a link.
    none: Mapped[bool] = mapped_column(default=False)

    category: Mapped[ServiceCategory] = relationship()
    municipality: Mapped[Municipality | None] = relationship(back_populates="services")
    county: Mapped[County | None] = relationship()


class FaqEntry(Base):
    """A national answer: one key, its authority and official source, texts per language."""

    __tablename__ = "faq_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    topic: Mapped[str] = mapped_column(String(40))
    authority: Mapped[str] = mapped_column(String(400))  # in English; FaqText.authority per language
    source_url: Mapped[str] = mapped_column(String(500))
    reviewed_on: Mapped[date] = mapped_column(Date)
    # A broad "what do I do first" answer ends with an offer of the personal checklist.
    offer_checklist: Mapped[bool] = mapped_column(default=False)
    # Keys of other entries whose official pages this answer also links.
    see_also: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The authority's page about a rule change the answer states; linked beside the source.
    change_url: Mapped[str | None] = mapped_column(String(500))
    # False while the topic's questions are newer than the running model (added by staff, not yet
    # published): retrieval answers it meanwhile (catalog/search.py). Set again by a successful publish.
    in_model: Mapped[bool] = mapped_column(default=True)

    # The local side of the answer: municipal service categories (the user's municipality's pages) and
    # county-wide ones (the region's pages), in the order they are shown.
    local_links: Mapped[list[FaqLocalCategory]] = relationship(
        cascade="all, delete-orphan", order_by="FaqLocalCategory.position", lazy="selectin"
    )
    texts: Mapped[list[FaqText]] = relationship(back_populates="entry", cascade="all, delete-orphan")
    questions: Mapped[list[FaqQuestion]] = relationship(back_populates="entry", cascade="all, delete-orphan")

    @property
    def local_categories(self) -> list[ServiceCategory]:
        return [link.category for link in self.local_links]


class FaqLocalCategory(Base):
    __tablename__ = "faq_local_category"

    entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entry.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_category.id"), primary_key=True)
    position: Mapped[int]

    category: Mapped[ServiceCategory] = relationship(lazy="joined")


class FaqText(Base):
    __tablename__ = "faq_text"
    __table_args__ = (UniqueConstraint("entry_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entry.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(5))
    answer: Mapped[str] = mapped_column(Text)
    # The authority line in this language (FaqEntry.authority, in English, is the fallback).
    authority: Mapped[str | None] = mapped_column(String(400))
    # Set when the Swedish or English answer changed after this translation: the bot serves the current
    # English answer instead until a translator updates it (README: "Outdated translations").
    outdated: Mapped[bool] = mapped_column(default=False)

    entry: Mapped[FaqEntry] = relationship(back_populates="texts")


class FaqQuestion(Base):
    """How people ask for an entry: training examples for the NLU model, per language."""

    __tablename__ = "faq_question"
    __table_args__ = (UniqueConstraint("entry_id", "language", "text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entry.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(String(500))

    entry: Mapped[FaqEntry] = relationship(back_populates="questions")



class LocalNote(Base):
    """A municipality's short addition to a national answer, in one language ("In Karlstad, apply for SFI
    through …"). Shown under the national answer to users of that municipality; never a copy of it."""

    __tablename__ = "local_note"
    __table_args__ = (UniqueConstraint("entry_id", "municipality_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entry.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(String(LOCAL_NOTE_MAX_CHARS))

    entry: Mapped[FaqEntry] = relationship()
    municipality: Mapped[Municipality] = relationship()


ROLES = ("admin", "editor", "translator", "municipal_editor")


class StaffAccount(Base):
    """A member of staff who edits content. Passwords are argon2 hashes (catalog/staff.py)."""

    __tablename__ = "staff_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # one of ROLES
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # a translator's languages
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))  # a municipal editor's
    active: Mapped[bool] = mapped_column(default=True)

    municipality: Mapped[Municipality | None] = relationship()


class AuditEntry(Base):
    """Who changed what and when: the record before and after, enough to revert it."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id"))
    kind: Mapped[str] = mapped_column(String(30))  # faq_text, faq_entry, service, local_note
    target: Mapped[str] = mapped_column(String(200))  # a readable key: "sfi/de", "Karlstad/sfi"
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    account: Mapped[StaffAccount | None] = relationship()


class TrainingRun(Base):
    """One "publish": export the questions, train a model, swap it into the running Rasa server."""

    __tablename__ = "training_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(12))  # queued, training, done, failed
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id"))
    queued_at: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    model: Mapped[str | None] = mapped_column(String(200))
    keys: Mapped[list[str]] = mapped_column(JSON, default=list)  # the topics the model was trained on
    log_tail: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text)


class SeedState(Base):
    """What the seed files were when last loaded: `make run` reloads them only when they changed, and never
    over changes staff made since (those are exported to the files first: `make content-export`)."""

    __tablename__ = "seed_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    files_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)


class ChecklistStep(Base):
    """One step of the personal relocation checklist, shown when all its conditions hold.

    conditions: {"eu": bool, "purpose": [work|study|family|protection], "children": [preschool|school|
    upper_secondary|any], "regulated": bool} — absent keys always hold. titles: {language: short title}.
    """

    __tablename__ = "checklist_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int]
    faq_entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entry.id", ondelete="CASCADE"))
    conditions: Mapped[dict] = mapped_column(JSON, default=dict)
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    faq_entry: Mapped[FaqEntry] = relationship()


# Service categories and where they are organised. New categories need a label in the gettext catalogs.
SERVICE_CATEGORIES: dict[str, str] = {
    "newcomer_contact": "municipal",
    "housing_company": "municipal",
    "preschool": "municipal",
    "school": "municipal",
    "upper_secondary": "municipal",
    "sfi": "municipal",
    "adult_education": "municipal",
    "social_services": "municipal",
    "recycling": "municipal",
    "health_care": "county",
    "public_transport": "county",
}
# Categories every municipality must cover (a page, or `none: true` with the page that shows it);
# `make content-report` fails when fewer than COVERAGE_MIN of the municipalities do.
REQUIRED_CATEGORIES = ("housing_company", "preschool", "school", "upper_secondary", "sfi", "adult_education",
                       "newcomer_contact", "social_services")
COVERAGE_MIN = 22

# An answer fits one phone screen: a 360 px wide chat bubble holds about 38 characters a line and some
# 20 lines stay visible above the keyboard and the source line (~760 characters); 700 leaves room for
# longer German and Ukrainian words. Checked at seeding and by `make content-report`.
ANSWER_MAX_CHARS = 700
