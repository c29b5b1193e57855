"""The rule policy sees only recent turns: its dialogue states for them are those of the full history."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.build.model import BUILD
from bot.policies import RecentTurnsRulePolicy, recent_history

WINDOW = 3


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(BUILD / "domain"))


@pytest.fixture(scope="module")
def policy(tmp_path_factory) -> RecentTurnsRulePolicy:
    config = {**RecentTurnsRulePolicy.get_default_config(), "window_turns": WINDOW}
    return RecentTurnsRulePolicy.create(config, LocalModelStorage(tmp_path_factory.mktemp("policy")),
                                        Resource("policy"), ExecutionContext(GraphSchema({}), "test"))


def user(intent: str) -> list:
    return [ActionExecuted("action_listen"), UserUttered(intent, {"name": intent, "confidence": 1.0})]


def conversation(turns: int) -> list:
    """FAQ questions, a municipality asked for and given, the checklist form started and filled."""
    events = [ActionExecuted("action_session_start"), SlotSet("language", "sv")]
    for turn in range(turns):
        events += user("faq_preschool" if turn % 3 else "greet")
        events += [ActionExecuted("action_answer"), SlotSet("pending_faq", "preschool" if turn % 2 else None),
                   SlotSet("municipality_asked", True)]
        if turn == turns - 4:
            events += user("ask_checklist") + [ActionExecuted("action_start_checklist"),
                                               ActionExecuted("checklist_form"), ActiveLoop("checklist_form"),
                                               SlotSet("requested_slot", "cl_eu")]
        if turn == turns - 2:
            events += user("affirm") + [SlotSet("cl_eu", True), ActionExecuted("checklist_form"),
                                        SlotSet("requested_slot", "cl_purpose")]
    return events + [ActionExecuted("action_listen")] + user("deny")


@pytest.mark.parametrize("turns", [1, 2, 8, 30])
def test_recent_turns_have_the_states_of_the_full_history(policy, domain, turns):
    tracker = DialogueStateTracker.from_events("s", conversation(turns), slots=domain.slots)
    recent = recent_history(tracker, domain, WINDOW)
    for use_text in (False, True):
        full = super(RecentTurnsRulePolicy, policy)._prediction_states(tracker, domain, use_text)
        windowed = policy._prediction_states(tracker, domain, use_text)
        assert len(windowed) <= len(full)
        # the window's first state has no previous action; every later one is the full history's
        assert windowed[1:] == full[len(full) - len(windowed) + 1:]
    assert recent.active_loop_name == tracker.active_loop_name
    assert recent.current_slot_values() == tracker.current_slot_values()
    if turns > WINDOW:
        assert len(recent.events) < len(tracker.events)


def test_no_rule_is_longer_than_the_window():
    from rasa.shared.core.training_data.structures import RuleStep
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(domain_path=str(BUILD / "domain"),
                                                   training_data_paths=[str(BUILD / "data")])
    rules = [step for step in importer.get_stories().story_steps if isinstance(step, RuleStep)]
    assert len(rules) > 60  # the hand-written rules and one per FAQ entry
    longest = max(sum(isinstance(event, UserUttered) for event in rule.events) for rule in rules)
    assert longest < RecentTurnsRulePolicy.get_default_config()["window_turns"]
