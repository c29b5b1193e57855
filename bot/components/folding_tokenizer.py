"""Whitespace tokens with a folded lemma, so featurizers see 'forsorjningsstod' and 'försörjningsstöd',
'أوسترسوند' and 'اوسترسوند', 'Естерсунд' and 'Эстерсунд' as the same word (CountVectorsFeaturizer uses
token lemmas by default). Folding is the catalog's own (api.catalog.names.fold)."""
from __future__ import annotations

from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from common.names import fold


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class FoldingTokenizer(WhitespaceTokenizer):
    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            token.lemma = fold(token.text) or token.text
        return tokens
