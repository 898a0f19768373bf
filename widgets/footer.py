"""A Footer that recomposes only when what it shows changes.

Textual's Footer recomposes (about ten new widgets and a restyle) on every focus change,
which made Tab, section switches and the history screen visibly slower.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def shown_bindings(screen: Screen) -> tuple:
    """What a footer would display for `screen`: (key, description, enabled) per shown binding."""
    return tuple(
        (binding.key, binding.description, enabled)
        for (_, binding, enabled, _tooltip) in screen.active_bindings.values()
        if binding.show
    )


class QuietFooter(Footer):
    """Also frees the keys it replaces: each FooterKey is data-bound to `compact`, and Textual prunes
    those watchers only when `compact` changes (never), so every recompose leaked ~10 widgets."""

    _shown: tuple | None = None

    async def recompose(self) -> None:
        watchers = getattr(self, "__watchers", {})  # Textual's per-object reactive watchers
        if "compact" in watchers:
            watchers["compact"] = [
                (node, callback) for node, callback in watchers["compact"] if node.parent is not self
            ]  # the keys about to be replaced
        await super().recompose()

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = shown_bindings(screen)
            if shown == self._shown and self._bindings_ready:
                return
            self._shown = shown
        super().bindings_changed(screen)
