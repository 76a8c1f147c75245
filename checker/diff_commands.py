"""The `diff` command (semantic diff of two policy versions)."""

from __future__ import annotations
