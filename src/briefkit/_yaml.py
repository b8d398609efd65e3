"""Safe YAML for what users write by hand (a brief's front matter, a sources catalog): the
safe loader, with every alias (``*name``) refused and nesting bounded.

Aliases are refused outright, not limited: neither file needs to repeat a value, and an alias
is how a few lines of YAML become billions of values (the "billion laughs": each list holds
ten aliases of the one before). Both checks are made while the document is composed, before
any alias is followed or any deep structure is built.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["AliasError", "BoundedLoader"]


class AliasError(yaml.composer.ComposerError):
    """An alias in a document that may hold none; ``anchor`` is its name."""

    def __init__(self, anchor: str, what: str, mark: Any) -> None:
        self.anchor = anchor
        super().__init__(
            None, None, f"an alias (*{anchor}) is not allowed in {what}; write the value out", mark
        )


class BoundedLoader(yaml.SafeLoader):
    """Safe YAML without aliases, and without lists and mappings nested deeper than
    :attr:`max_depth`; :attr:`what` names the document in messages."""

    what = "this document"
    max_depth = 32
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            raise AliasError(event.anchor, self.what, event.start_mark)
        if not self.check_event(yaml.CollectionStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= self.max_depth:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"nested too deeply (more than {self.max_depth} levels of lists and mappings)",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
