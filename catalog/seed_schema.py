"""The shape of the seed files under data/catalog, checked before anything is written."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from catalog.models import ANSWER_MAX_CHARS, LOCAL_NOTE_MAX_CHARS, SERVICE_CATEGORIES
from common.languages import LANGUAGES

HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[^\s/$.?#][^\s]*$", max_length=500)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServiceIn(_Strict):
    """A service page, or (`none: true`) the statement that the municipality has no such service,
    with `checked_source` the official page that shows it — never a wrong page in its place."""

    category: str
    name: Text | None = None
    url: HttpsUrl | None = None
    none: bool = False
    checked_source: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]  # where it was verified
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    opening_hours: str | None = None

    @field_validator("category")
    @classmethod
    def known_category(cls, value: str) -> str:
        if value not in SERVICE_CATEGORIES:
            raise ValueError(f"unknown service category {value!r}; known: {', '.join(SERVICE_CATEGORIES)}")
        return value

    @model_validator(mode="after")
    def page_or_none(self) -> ServiceIn:
        if self.none and (self.url or self.name):
            raise ValueError("a `none: true` entry has no name or url, only the checked_source that shows it")
        if not self.none and not (self.url and self.name):
            raise ValueError("a service needs name and url (or `none: true` with checked_source)")
        return self


class CountyIn(_Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    name: Text
    code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")]
    region: Text
    website: HttpsUrl
    aliases: list[Text] = []
    services: list[ServiceIn] = []


class LocalityIn(_Strict):
    """A locality (tätort, SCB) of a municipality, with the ways people write its name."""

    name: Text
    aliases: list[Text] = []


class MunicipalityIn(_Strict):
    name: Text
    official_name: Text
    scb_code: Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    county: str
    website: HttpsUrl
    aliases: list[Text] = []
    localities: list[LocalityIn] = []
    services: list[ServiceIn] = []


class TopicIn(_Strict):
    about: Text
    authority: Text
    source_url: HttpsUrl
    reviewed_on: dt.date
    # The local side: service categories whose pages follow the national answer (one or a list).
    local: list[str] = []
    offer_checklist: bool = False
    # Other topics whose official pages the answer also links (a first-steps answer names several authorities).
    see_also: list[str] = []
    # The authority's own page about a rule change the answer states (e.g. the 2026 salary floor).
    change_url: HttpsUrl | None = None

    @field_validator("local", mode="before")
    @classmethod
    def as_list(cls, value: str | list[str] | None) -> list[str]:
        return [] if value is None else [value] if isinstance(value, str) else value

    @field_validator("local")
    @classmethod
    def known_categories(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in SERVICE_CATEGORIES]
        if unknown:
            raise ValueError(f"unknown service category {unknown[0]!r}")
        if len(set(value)) != len(value):
            raise ValueError("a service category is named twice")
        return value


Answer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=ANSWER_MAX_CHARS)]
Authority = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Questions = Annotated[list[Question], Field(min_length=1)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LOCAL_NOTE_MAX_CHARS)]
# local_notes.yml: municipality slug -> FAQ key -> language -> the municipality's note under that answer.
LocalNotes = dict[str, dict[str, dict[Literal[LANGUAGES], Note]]]


class ChecklistWhen(_Strict):
    eu: bool | None = None
    regulated: bool | None = None
    purpose: list[Literal["work", "study", "family", "protection"]] | None = None
    children: list[Literal["preschool", "school", "upper_secondary", "any"]] | None = None


class ChecklistStepIn(_Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    faq: str
    when: ChecklistWhen = ChecklistWhen()
    titles: dict[Literal[LANGUAGES], Text]


class ChecklistIn(_Strict):
    steps: list[ChecklistStepIn]
