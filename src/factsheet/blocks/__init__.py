"""Block kinds: one module each, registered by name in :mod:`factsheet.blocks.base`."""

from factsheet.blocks import boxes, chart, hero, key_figures, media, spacing, table, text  # noqa: F401  (registration)
from factsheet.blocks.base import DEFAULT_SPAN, REGISTRY, BlockContext, Built

__all__ = ["DEFAULT_SPAN", "REGISTRY", "BlockContext", "Built"]
