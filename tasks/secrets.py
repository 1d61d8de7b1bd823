"""The API key from a Prefect Secret block, resolved where the engines are built.

The key never travels as a task parameter or result (Prefect stores those); each
worker process loads it from the block once and hands it to the engines.
"""

from __future__ import annotations

import functools

from prefect.blocks.system import Secret

from narrator.config import NarrationParams
from narrator.engines import Engines, engines_for


@functools.cache
def _secret(block_name: str) -> str:
    return Secret.load(block_name).get()


def engines(params: NarrationParams) -> Engines:
    """The run's engines, with the key from ``params.remote.api_key_block`` when one is named."""
    block = params.remote.api_key_block
    return engines_for(params, _secret(block) if block else None)
