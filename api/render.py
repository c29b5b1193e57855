"""Render a Rasa response name into a message in the conversation's language.

Plain responses come from the gettext catalogs. Composed responses come from the catalog database:
- `utter_faq_answer`: the national answer first, its authority and source in the reply's language, then the
  local side — the pages of the user's municipality and region for the topic's service categories, or, when
  no place is known, one short line inviting the user to name it (the answer is never held back);
- `utter_faq_local`: only that local side, when the user names the place after the answer;
- `utter_municipality_facts`: a municipality's own facts (county, region, health care, website, contacts);
- `utter_checklist`: the personal checklist.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from api import i18n
from catalog import queries
from catalog.models import County, FaqEntry, FaqText, Municipality, ServiceCategory
from common.languages import fallbacks
from common.messages import BUTTONS, RESPONSES
from settings import get_settings

log = logging.getLogger(__name__)


class UnknownResponse(KeyError):
    pass


def render(session: Session, name: str, language: str, arguments: dict[str, Any]) -> dict[str, Any]:
    composer = COMPOSERS.get(name)
    if composer is not None:
        return {"text": composer(session, language, arguments)}
    if name not in RESPONSES or not name.startswith("utter_"):
        raise UnknownResponse(name)
    values = {"url": get_settings().fallback_contact_url, **_derived(session, name, language), **arguments}
    message: dict[str, Any] = {"text": message_text(name, language, values)}
    if name in BUTTONS:
        message["buttons"] = [
            {"title": message_text(title, language, {}), "payload": payload} for title, payload in BUTTONS[name]
        ]
    return message


def message_text(name: str, language: str, values: dict[str, Any]) -> str:
    template = i18n.translate(RESPONSES[name], language)
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        log.error("response %s in %s lacks an argument; using the English text", name, language)
        return RESPONSES[name].format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _derived(session: Session, name: str, language: str) -> dict[str, Any]:
    """Arguments the renderer computes itself, formatted for the locale."""
    if name == "utter_municipality_outside":
        names = [municipality.name for municipality in queries.municipalities(session)]
        return {"municipalities": i18n.format_names(names, language), "count": len(names)}
    return {}


@dataclass(frozen=True)
class Place:
    """Where the user is, as far as the conversation says: one of our municipalities, one of our counties
    (a region named without a municipality), or a place outside them (`named` but neither)."""

    municipality: Municipality | None = None
    county: County | None = None
    named: bool = False

    @classmethod
    def of(cls, session: Session, arguments: dict[str, Any]) -> Place:
        municipality = queries.find_municipality(session, arguments.get("municipality"))
        county = municipality.county if municipality else queries.find_county(session, arguments.get("county"))
        return cls(municipality, county, bool(arguments.get("municipality") or arguments.get("county")))


def category_label(code: str, language: str) -> str:
    return message_text(f"category_{code}", language, {})


def local_lines(session: Session, categories: list[ServiceCategory], language: str, place: Place) -> list[str]:
    """The pages of the user's municipality and region for these categories; [] when none is known."""
    lines: list[str] = []
    for category in categories:
        label = category_label(category.code, language)
        if category.scope == "county":
            if place.county is not None:
                lines += [message_text("faq_region", language, {"category": label, "region": place.county.region,
                                                                "name": service.name, "url": service.url})
                          for service in queries.county_services(session, place.county, category.code)[:2]]
        elif place.municipality is not None:
            services = [service for service in queries.local_services(session, place.municipality, category.code)
                        if service.municipality_id is not None][:2]
            lines += [message_text("faq_local", language, {"category": label, "municipality": place.municipality.name,
                                                           "name": service.name, "url": service.url})
                      for service in services]
            none = None if services else queries.service_none(session, place.municipality, category.code)
            if none is not None:
                lines.append(message_text("faq_local_none", language, {
                    "category": label, "municipality": place.municipality.name, "url": none.url}))
            elif not services:
                lines.append(message_text("faq_local_missing", language, {
                    "category": label, "municipality": place.municipality.name, "url": place.municipality.website,
                }))
    return list(dict.fromkeys(lines))


def local_invitation(categories: list[ServiceCategory], language: str, place: Place) -> str | None:
    """One short line asking for the place, when the topic has a local side the user's place would add."""
    municipal = any(category.scope == "municipal" for category in categories)
    if not categories or place.municipality is not None or (place.named and place.county is None):
        return None  # nothing local, already local, or outside our two counties (said by the action)
    if place.county is not None:
        return message_text("faq_ask_municipality_in_county", language, {"county": place.county.name}) if municipal else None
    return message_text("faq_ask_municipality", language, {})


def _faq(session: Session, language: str, key: str) -> tuple[FaqEntry, FaqText, str] | None:
    entry = queries.faq_entry(session, key)
    found = queries.faq_answer(session, key, fallbacks(language)) if entry else None
    if entry is None or found is None:
        log.error("no FAQ answer for key %r", key)
        return None
    text, answer_language = found
    if answer_language != language:
        log.warning("missing %s answer for FAQ %r; served %s", language, key, answer_language)
    return entry, text, answer_language


def _faq_answer(session: Session, language: str, arguments: dict[str, Any]) -> str:
    found = _faq(session, language, arguments.get("faq_key") or "")
    if found is None:
        return message_text("utter_default", language, {})
    entry, text, answer_language = found
    authority = text.authority if text.authority else entry.authority
    if not text.authority and answer_language != "en":
        log.warning("missing %s authority line for FAQ %r; served English", answer_language, entry.key)
    place = Place.of(session, arguments)
    parts = [
        text.answer,
        message_text("faq_source", language, {
            "authority": authority, "url": entry.source_url, "date": i18n.format_day(entry.reviewed_on, language),
        }),
        message_text("faq_change", language, {"url": entry.change_url}) if entry.change_url else None,
        *local_note_lines(session, entry, language, place),
        "\n".join(local_lines(session, entry.local_categories, language, place)),
        see_also(session, entry, language),
        local_invitation(entry.local_categories, language, place),
        message_text("faq_offer_checklist", language, {}) if entry.offer_checklist else None,
    ]
    return "\n\n".join(part for part in parts if part)


def local_note_lines(session: Session, entry: FaqEntry, language: str, place: Place) -> list[str]:
    """What the user's municipality added under this national answer, in the reply's language."""
    if place.municipality is None:
        return []
    return [message_text("faq_local_note", language, {"municipality": place.municipality.name, "note": note})
            for note in queries.local_notes(session, entry, place.municipality, language)]


def see_also(session: Session, entry: FaqEntry, language: str) -> str | None:
    """The official pages of the other authorities a broad answer names, in its order."""
    urls = [url for url in dict.fromkeys(queries.source_urls(session, entry.see_also or [])) if url != entry.source_url]
    return message_text("faq_see_also", language, {"links": "\n".join(urls)}) if urls else None


def _faq_local(session: Session, language: str, arguments: dict[str, Any]) -> str:
    """Only the local side of an answer already given, now that the user has named the place."""
    entry = queries.faq_entry(session, arguments.get("faq_key") or "")
    place = Place.of(session, arguments)
    lines = local_note_lines(session, entry, language, place) + local_lines(
        session, entry.local_categories, language, place) if entry else []
    invitation = local_invitation(entry.local_categories, language, place) if entry else None
    if not lines and place.municipality is not None:
        lines = [message_text("faq_local_missing", language, {
            "category": message_text("facts_website_label", language, {}),
            "municipality": place.municipality.name, "url": place.municipality.website})]
    return "\n\n".join(part for part in ("\n".join(lines), invitation) if part) or message_text(
        "faq_ask_municipality", language, {})


FACT_CATEGORIES = ("newcomer_contact", "housing_company", "sfi", "adult_education")


def _municipality_facts(session: Session, language: str, arguments: dict[str, Any]) -> str:
    municipality, locality = queries.find_place(session, arguments.get("locality") or arguments.get("municipality"))
    if municipality is None:
        return message_text("utter_ask_municipality", language, {})
    county = municipality.county
    health = queries.county_services(session, county, "health_care")
    lines = []
    if locality:
        lines.append(message_text("facts_locality", language, {"locality": locality, "municipality": municipality.name}))
    lines += [
        message_text("facts_county", language, {"official_name": municipality.official_name, "county": county.name,
                                                "region": county.region, "url": county.website}),
        message_text("facts_health_care", language, {"region": county.region,
                                                     "url": health[0].url if health else county.website}),
        message_text("facts_website", language, {"official_name": municipality.official_name,
                                                 "url": municipality.website}),
    ]
    categories = [category for code in FACT_CATEGORIES if (category := queries.service_category(session, code))]
    place = Place(municipality, county, True)
    lines += [line for line in local_lines(session, categories, language, place)
              if municipality.website not in line]  # only real pages, not "see the website" again
    return "\n".join(lines)


def _checklist(session: Session, language: str, arguments: dict[str, Any]) -> str:
    steps = queries.checklist_steps(session, list(arguments.get("steps") or []))
    municipality = queries.find_municipality(session, arguments.get("municipality"))
    lines = [message_text("checklist_title", language, {})]
    for number, step in enumerate(steps, start=1):
        title = next((step.titles[code] for code in fallbacks(language) if step.titles.get(code)), step.key)
        entry = step.faq_entry
        found = queries.faq_answer(session, entry.key, fallbacks(language))
        authority = found[0].authority if found and found[0].authority else entry.authority
        lines.append(message_text("checklist_step", language, {
            "number": number, "title": title, "authority": authority, "url": entry.source_url,
        }))
        municipal = [category for category in entry.local_categories if category.scope == "municipal"]
        if municipality is not None and municipal:
            services = queries.local_services(session, municipality, municipal[0].code)
            url = services[0].url if services else municipality.website
            lines.append(message_text("checklist_local", language, {"municipality": municipality.name, "url": url}))
    lines.append(message_text("checklist_again", language, {}))
    return "\n".join(lines)


COMPOSERS = {
    "utter_faq_answer": _faq_answer,
    "utter_faq_local": _faq_local,
    "utter_municipality_facts": _municipality_facts,
    "utter_checklist": _checklist,
}
