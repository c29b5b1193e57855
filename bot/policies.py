"""Rasa's RulePolicy, matching rules against the recent turns instead of the whole conversation.

RulePolicy rebuilds the dialogue state of every past turn on each prediction (several per message), so a
reply costs more the longer the conversation. A rule only ever looks at its own few last turns, so this
policy hands it a tracker holding the last `window_turns` user turns, preceded by the slot values and the
active form as they were when that window began: the states of those turns are the same as in the full
history, and rules longer than the window do not exist here (tests/bot/test_policies.py checks both).
Everything that is not rule matching (forms, default actions) still sees the full tracker.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, ActiveLoop, AllSlotsReset, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


def recent_history(tracker: DialogueStateTracker, domain: Domain, turns: int) -> DialogueStateTracker:
    """A tracker with the last `turns` user turns of `tracker`, starting from the same slots and form."""
    events: List[Event] = tracker.applied_events()  # without reverted and pre-restart events
    users = [index for index, event in enumerate(events) if isinstance(event, UserUttered)]
    if len(users) <= turns:
        return tracker
    start = users[-turns]
    previous = events[start - 1]
    if isinstance(previous, ActionExecuted) and previous.action_name == ACTION_LISTEN_NAME:
        start -= 1  # keep the listen that the first user message answered
    slots: Dict[Text, Any] = {}
    loop: Optional[Text] = None
    for event in events[:start]:
        if isinstance(event, SlotSet):
            slots[event.key] = event.value
        elif isinstance(event, ActiveLoop):
            loop = event.name
        elif isinstance(event, AllSlotsReset):
            slots.clear()
    initial = {slot.name: slot.initial_value for slot in domain.slots}
    prefix: List[Event] = [SlotSet(name, value) for name, value in slots.items()
                           if name in initial and value != initial[name]]
    if loop:
        prefix.append(ActiveLoop(loop))
    recent = DialogueStateTracker(tracker.sender_id, domain.slots, is_rule_tracker=tracker.is_rule_tracker)
    for event in prefix + events[start:]:
        recent.update(event)
    return recent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentTurnsRulePolicy(RulePolicy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**RulePolicy.get_default_config(), "window_turns": 5}

    def _prediction_states(self, tracker: DialogueStateTracker, domain: Domain,
                           use_text_for_last_user_input: bool = False,
                           rule_only_data: Optional[Dict[Text, Any]] = None) -> List[State]:
        recent = recent_history(tracker, domain, self.config["window_turns"])
        return super()._prediction_states(recent, domain, use_text_for_last_user_input, rule_only_data)
