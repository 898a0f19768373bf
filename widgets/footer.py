"""A Footer that recomposes only when what it shows changes.

Textual's Footer recomposes (about ten new widgets and a restyle) on every focus change,
which made Tab, section switches and the history screen visibly slower.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from smjob.widgets.textual_fixes import recompose_dropping_old_keys


def key_rank(key: str) -> tuple:
    """A fixed place per key: ctrl keys first, then F-keys by number, then the rest. Textual orders
    them by where they are bound (the focused widget's first), so the keys moved with every Tab."""
    if key.startswith("ctrl+"):
        return (0, 0, key)
    if key[:1] == "f" and key[1:].isdigit():
        return (1, int(key[1:]), key)
    return (2, 0, key)


def shown_bindings(screen: Screen) -> tuple:
    """What a footer would display for `screen`: (key, description, enabled) per shown binding."""
    shown = [
        (binding.key, binding.description, enabled)
        for (_, binding, enabled, _tooltip) in screen.active_bindings.values()
        if binding.show
    ]
    return tuple(sorted(shown, key=lambda entry: key_rank(entry[0])))


class QuietFooter(Footer):
    """Also frees the keys it replaces (see textual_fixes)."""

    # A compact footer gives every key, the palette key docked at the right too, a right margin:
    # the last column was left to keys hidden under that key, which showed through ("^p palettet").
    DEFAULT_CSS = """
    QuietFooter.-compact FooterKey.-command-palette { margin-right: 0; }
    """

    _shown: tuple | None = None

    def compose(self):
        # Textual's keys, in a fixed order (key_rank); the palette key stays last, at the right.
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        if len(keys) == len(widgets) - any(w.has_class("-command-palette") for w in widgets):
            keys.sort(key=lambda w: key_rank(w.key))
            widgets = keys + [w for w in widgets if w not in keys]
        yield from widgets

    async def recompose(self) -> None:
        await recompose_dropping_old_keys(self, super().recompose)
        self.call_after_refresh(self._hide_cut_keys)

    def on_resize(self) -> None:
        for key in self.query(FooterKey):
            key.display = True  # wider: keys hidden before may fit now (measured after this layout)
        self.call_after_refresh(self._hide_cut_keys)

    def _hide_cut_keys(self) -> None:
        """Keys that do not fit before the palette key are hidden, not drawn cut under it (a lone "d"
        of "d Duplicate" at 80 columns). The order is fixed, so the hidden ones are the last."""
        if not self.is_attached or not self.screen.is_current:
            return  # measured again when its screen is back: its keys are recomposed then
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        palette = next(iter(self.query(".-command-palette")), None)
        if any(not k.region for k in keys if k.display) or (palette is not None and not palette.region):
            self.call_after_refresh(self._hide_cut_keys)  # not laid out yet: measure after the next frame
            return
        limit = palette.region.x if palette is not None and palette.display else self.region.right
        cut = False
        for key in keys:
            cut = cut or (key.display and key.region.right > limit)
            if cut:
                key.display = False

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = shown_bindings(screen)
            if shown == self._shown:
                return  # the first call always passes (None), and Footer.bindings_changed then shows keys
            self._shown = shown
        super().bindings_changed(screen)
