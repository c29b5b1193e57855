"""What Lotsen's trainable NLU components share: create, load and persist of one file in Rasa's model storage.

Each component keeps what it learns in a single file inside its resource (a pickled scikit-learn model, the
gazetteer's places as JSON). A component loaded from a resource that was never written — trained on data that
taught it nothing, or a graph that skipped its training — gets None and behaves as untrained, as Rasa's own
components do, instead of failing the whole model load.
"""
from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Any, ClassVar, Dict, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)


class StoredComponent(GraphComponent):
    """A graph component whose trained state is one file: `FILE`, written by `persist`, read back by `load`.

    Subclasses take `(config, model_storage, resource, trained=None)` in `__init__` and call `persist(trained)`
    at the end of `train`; `dumps`/`loads` say how the state becomes bytes (pickle unless overridden).
    """

    FILE: ClassVar[str]

    def __init__(self, config: Dict[Text, Any], model_storage: Optional[ModelStorage] = None,
                 resource: Optional[Resource] = None) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "StoredComponent":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "StoredComponent":
        try:
            with model_storage.read_from(resource) as directory:
                trained = cls.loads((Path(directory) / cls.FILE).read_bytes())
        except (ValueError, FileNotFoundError):  # ValueError: the resource was never written
            logger.debug(f"{cls.__name__}: nothing trained in resource '{resource.name}', loaded untrained")
            trained = None
        return cls(config, model_storage, resource, trained)

    def persist(self, trained: Any) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / self.FILE).write_bytes(self.dumps(trained))
        return self._resource

    @staticmethod
    def dumps(trained: Any) -> bytes:
        return pickle.dumps(trained)

    @staticmethod
    def loads(data: bytes) -> Any:
        return pickle.loads(data)
