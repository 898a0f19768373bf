"""A Footer that recomposes only when what it shows changes.

Textual's Footer recomposes (about ten new widgets and a restyle) on every focus change,
which made Tab, section switches and the history screen visibly slower.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

from smjob.widgets.textual_fixes import recompose_dropping_old_keys


def shown_bindings(screen: Screen) -> tuple:
    """What a footer would display for `screen`: (key, description, enabled) per shown binding."""
    return tuple(
        (binding.key, binding.description, enabled)
        for (_, binding, enabled, _tooltip) in screen.active_bindings.values()
        if binding.show
    )


class QuietFooter(Footer):
    """Also frees the keys it replaces (see textual_fixes)."""

    _shown: tuple | None = None

    async def recompose(self) -> None:
        await recompose_dropping_old_keys(self, super().recompose)

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = shown_bindings(screen)
            if shown == self._shown:
                return  # the first call always passes (None), and Footer.bindings_changed then shows keys
            self._shown = shown
        super().bindings_changed(screen)
