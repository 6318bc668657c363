"""The footer of key bindings, recomposed only when the keys it shows have changed.

Textual's Footer rebuilds all its key widgets whenever a screen's bindings are updated — every
time a screen comes back to the front, even with the same keys. Rebuilding them was the largest
single cost of opening a document in the (reused) reader screen.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def _keys_to_show(self) -> tuple:
        return tuple(
            (key, binding.description, binding.action, binding.show, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )

    def bindings_changed(self, screen: Any) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = self._keys_to_show()
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
