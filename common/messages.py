"""The bot's own texts, keyed by Rasa response name. English is the gettext source language.

Translations live in locales/<lang>/LC_MESSAGES/messages.po (`make catalogs` extracts and compiles).
Shared by both environments: the app renders them (api/render.py), the Rasa side only when the app cannot
(bot/texts.py), and the model build declares a stub per response name (bot/build/export.py).
Placeholders use {braces}; every translation must keep the same ones (tests/unit/test_catalogs.py).
"""
from __future__ import annotations


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated when rendered."""
    return message


RESPONSES: dict[str, str] = {
    "utter_greet": N_(
        "Hi, I'm Lotsen! I help people moving to Jämtland Härjedalen and Värmland with permits, housing, "
        "school, jobs and health care. Ask me anything — in Swedish, English, German, Dutch, Arabic or Ukrainian."
    ),
    "utter_capabilities": N_(
        "You can ask me, for example: “How do I get a personnummer?”, “How do I find a flat in Karlstad?”, "
        "“How do I get a preschool place?”, “Where can I learn Swedish?” or “Make my checklist”. "
        "I give the official rule, the authority responsible and your municipality's page."
    ),
    "utter_goodbye": N_("Goodbye, and welcome to Sweden! Come back whenever you have a question."),
    "utter_youre_welcome": N_("You're welcome! Is there anything else I can help you with?"),
    "utter_ok_anything_else": N_("OK. Is there anything else I can help you with?"),
    "utter_iamabot": N_(
        "I'm Lotsen, a chat assistant — not a person. If you want to talk to a person, just say so "
        "and I'll tell you whom to contact."
    ),
    "utter_out_of_scope": N_(
        "Sorry, I can only help with moving to and living in Jämtland Härjedalen and Värmland: permits, "
        "housing, school, jobs and health care. Try asking about one of those, or ask for a person."
    ),
    "utter_default": N_(
        "Sorry, I'm not sure I understood. Could you ask in other words? You can ask about permits, housing, "
        "school, jobs or health care — or ask to talk to a person."
    ),
    "utter_ask_municipality": N_("Which municipality do you live in, or are you moving to?"),
    "utter_municipality_noted": N_(
        "Noted: {municipality}. Ask me about preschool, school, Swedish courses, housing or who helps "
        "newcomers there."
    ),
    "utter_municipality_outside": N_(
        "{place} is outside Jämtland Härjedalen and Värmland, so I don't know its local services. "
        "I know these {count} municipalities: {municipalities}."
    ),
    "utter_handoff": N_("You can talk to a person at {name}: {url}"),
    "utter_handoff_no_municipality": N_(
        "I can put you in touch with your municipality's newcomer service. Which municipality do you "
        "live in, or are you moving to? You can also find help in many languages at {url}"
    ),
    "utter_language_changed": N_("OK — from now on I'll answer in English."),
    "utter_error": N_(
        "Sorry, something went wrong on my side. Please try again in a moment, or find help here: {url}"
    ),
    "utter_ask_cl_eu": N_("Let's make your checklist — five short questions. Are you a citizen of an EU/EEA country or Switzerland?"),
    "utter_ask_cl_purpose": N_("What brings you to Sweden: work, studies, family, or protection?"),
    "utter_ask_cl_children": N_("Are children moving with you? If so, write their ages (for example: 3, 8)."),
    "utter_ask_cl_municipality": N_("Which municipality are you moving to? (Write “don't know” if you're not sure yet.)"),
    "utter_ask_cl_regulated": N_("Do you work in a regulated profession, such as doctor, nurse, teacher or dentist?"),
    "utter_ask_children_ages": N_("How old are the children? Write their ages, for example: 3, 8."),
    # Pieces of composed responses (utter_faq_answer …), not responses of their own.
    "faq_source": N_("Source: {authority} — {url} (checked {date})"),
    "faq_local": N_("{category} in {municipality}: {name} — {url}"),
    "faq_local_missing": N_("{category} in {municipality}: see the municipality's website — {url}"),
    "faq_see_also": N_("More from the authorities:\n{links}"),
    "faq_change": N_("About the change: {url}"),
    "faq_local_note": N_("{municipality}: {note}"),
    "faq_local_none": N_("{category} in {municipality}: the municipality has none — {url}"),
    "faq_region": N_("{category} in {region}: {name} — {url}"),
    "faq_ask_municipality": N_("Tell me your municipality and I'll add its local page."),
    "faq_ask_municipality_in_county": N_("Tell me your municipality in {county} and I'll add its local page."),
    "faq_offer_checklist": N_("Would you like a personal checklist for your move? Just say “yes”."),
    "message_too_long": N_("Your message is too long for me — please write it in at most {limit} characters."),
    "message_too_fast": N_("You are sending messages very fast — please wait a minute, then write again."),
    "utter_long_message_more": N_("You also asked: “{question}” — send it on its own and I'll answer it too."),
    "facts_locality": N_("{locality} is a locality in {municipality} municipality."),
    "facts_county": N_("{official_name} is in {county}. The region is {region}: {url}"),
    "facts_health_care": N_("Health care is run by {region}: {url}"),
    "facts_website": N_("Website of {official_name}: {url}"),
    "facts_website_label": N_("Website"),
    "category_newcomer_contact": N_("Newcomer contact"),
    "category_housing_company": N_("Housing company and queue"),
    "category_preschool": N_("Preschool"),
    "category_school": N_("Compulsory school"),
    "category_upper_secondary": N_("Upper secondary school"),
    "category_sfi": N_("SFI (Swedish for immigrants)"),
    "category_adult_education": N_("Adult education (Komvux)"),
    "category_social_services": N_("Social services"),
    "category_recycling": N_("Waste and recycling"),
    "category_health_care": N_("Health care"),
    "category_public_transport": N_("Public transport"),
    "checklist_title": N_("Your checklist — in this order:"),
    "checklist_step": N_("{number}. {title} — {authority}: {url}"),
    "checklist_local": N_("   In {municipality}: {url}"),
    "checklist_again": N_("Ask for “my checklist” any time to see it again."),
    "button_yes": N_("Yes"),
    "button_no": N_("No"),
    "button_work": N_("Work"),
    "button_study": N_("Studies"),
    "button_family": N_("Family"),
    "button_protection": N_("Protection"),
    "button_dont_know": N_("Don't know yet"),
    # The web widget's own texts (api/routes/widget.py serves them as JSON; the widget shows them in the
    # conversation's language). Pieces, not responses.
    "widget_open": N_("Open chat"),
    "widget_close": N_("Close chat"),
    "widget_language": N_("Language"),
    "widget_message": N_("Message"),
    "widget_placeholder": N_("Ask about permits, housing, school, jobs …"),
    "widget_send": N_("Send"),
    "widget_new": N_("New conversation"),
    "widget_new_started": N_("A new conversation has started."),
    "widget_log": N_("Conversation"),
    "widget_you": N_("You"),
    "widget_new_tab": N_("opens in a new tab"),
    "widget_intro": N_("Ask me about permits, housing, school, jobs and health care — in your language."),
    "widget_connecting": N_("Connecting …"),
    "widget_offline": N_("No connection — trying again …"),
    "widget_waiting": N_("Writing a reply …"),
    "widget_choices": N_("Choose an answer"),
}

# Quick-reply buttons: (title message, payload). Payloads are language-neutral.
BUTTONS: dict[str, list[tuple[str, str]]] = {
    "utter_ask_cl_eu": [("button_yes", "/affirm"), ("button_no", "/deny")],
    "utter_ask_cl_regulated": [("button_yes", "/affirm"), ("button_no", "/deny")],
    "utter_ask_cl_purpose": [
        ("button_work", "work"), ("button_study", "studies"), ("button_family", "family"),
        ("button_protection", "protection"),
    ],
    "utter_ask_cl_children": [("button_no", "/deny")],
    "utter_ask_cl_municipality": [("button_dont_know", "don't know")],
}

# Responses composed by the renderer from the catalog rather than from a single message.
COMPOSED = frozenset({"utter_faq_answer", "utter_faq_local", "utter_municipality_facts", "utter_checklist"})

# Pieces that are not responses of their own (no domain entry needed).
PIECES = frozenset(name for name in RESPONSES if not name.startswith("utter_"))

# Each FAQ topic is one intent, named by its key: 'faq_work_permit' <-> 'work_permit'.
FAQ_INTENT_PREFIX = "faq_"


def faq_key(intent: str | None) -> str | None:
    """'faq_work_permit' -> 'work_permit'; other intents -> None."""
    if intent and intent.startswith(FAQ_INTENT_PREFIX):
        return intent.removeprefix(FAQ_INTENT_PREFIX)
    return None
