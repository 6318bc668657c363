"""The command palette (ctrl+p) offers every action of the current screen and of the app."""

from __future__ import annotations

from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ActionCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        seen: set[str] = set()
        out = []
        screen = self.screen
        for node in (screen, self.app):
            title = "" if isinstance(node, App) else f"{getattr(node, 'SCREEN_NAME', 'Screen')}: "
            for binding in node._bindings.key_to_bindings.values() if hasattr(node, "_bindings") else ():
                for b in binding:
                    if not b.description or b.action in seen or b.action.startswith("command_palette"):
                        continue
                    seen.add(b.action)
                    key = b.key_display or b.key.split(",")[0]
                    out.append((f"{title}{b.description}", f"key: {key}", partial(self._run, node, b.action)))
        return out

    async def _run(self, node, action: str) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        for text, help_text, command in self._commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)
