"""Every reach into Textual's private code, in one place. Written for Textual 8.2.8 (pinned in pyproject.toml).

Each fix names the upstream code it works around. tests/test_textual_fixes.py proves each one still
works (and that the plain Textual widget still misbehaves); after a Textual upgrade those tests say
which fixes to revisit or delete. Nothing here fails quietly: if a private name is gone, the import
or the call raises.
"""

from __future__ import annotations

from functools import lru_cache, partial
from weakref import WeakSet

from rich.text import Text
from textual import events
from textual._compositor import Compositor
from textual._queue import Queue as MessageQueue
from textual._styles_cache import StylesCache
from textual.cache import FIFOCache, LRUCache
from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.geometry import Region
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from smjob.terminal_text import one_cell_each

TEXTUAL_VERSION = "8.2.8"


def _private(owner: object, name: str, kind: type | None = None):
    """`owner`'s attribute `name` (a Textual private), or an error naming what changed."""
    if name not in vars(owner):
        raise RuntimeError(f"Textual changed: {owner!r} has no {name}; re-check smjob.widgets.textual_fixes")
    value = vars(owner)[name]
    if kind is not None and not isinstance(value, kind):
        raise RuntimeError(f"Textual changed: {owner!r}.{name} is not a {kind.__name__}; re-check textual_fixes")
    return value


def _watchers(node: Widget, attribute: str) -> list:
    """The (watching node, callback) pairs Textual keeps on `node` for `attribute` (textual/reactive.py, _watch)."""
    return vars(node)["__watchers"][attribute]


# --- 1. Input and TextArea stay subscribed to their screen's text-selection signal ----------------
# textual/widgets/_input.py Input._on_mount and _text_area.py TextArea._on_mount subscribe a closure over
# the widget to Screen.text_selection_started_signal and never unsubscribe. textual/signal.py keeps
# subscribers in a WeakKeyDictionary whose value (the closure) holds the key, so the entry never dies, and
# Signal.publish prunes removed nodes only when a mouse selection starts. Every field ever mounted on the
# long-lived editor screen stayed in memory (about 1,000 Inputs after walking the largest request).
# TextArea._on_mount also does `self.watch(self.app, "theme", ...)`; textual/reactive.py prunes a closed
# watcher only when the watched value changes (https://github.com/Textualize/textual/issues/6666), so the
# app's theme watchers held every TextArea ever mounted.


class LeavesTheSelectionSignal:
    """Mixin for Input and TextArea (before them in the bases): unsubscribes when unmounted."""

    def on_mount(self) -> None:  # Textual calls each class's handler in the MRO: Input._on_mount too
        self._selection_signal = self.screen.text_selection_started_signal

    def on_unmount(self) -> None:
        self._selection_signal.unsubscribe(self)


class LeavesTheAppTheme:
    """Mixin for TextArea: drops its watcher of the app's theme when unmounted."""

    def on_unmount(self) -> None:
        theme = _watchers(self.app, "theme")
        theme[:] = [(node, callback) for node, callback in theme if node is not self]


# --- 2. Input lays out the whole screen on every keystroke -----------------------------------------
# textual/widgets/_input.py Input._watch_value sets `virtual_size` (a reactive with layout=True) on every
# change, so each typed character asks for a layout of the whole screen. A fixed-size Input's box does
# not depend on its text: a repaint is enough (~5 ms less per key on the editor).
_private(Input, "_watch_value")


class TypesWithoutRelayout:
    """Mixin for Input: no screen layout for a value change unless the Input sizes to its content."""

    _value_changing = False

    def _watch_value(self, value: str) -> None:
        self._value_changing = True
        try:
            super()._watch_value(value)
        finally:
            self._value_changing = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if layout and self._value_changing and not self.styles.auto_dimensions:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


# --- 3. Input draws its value as is ----------------------------------------------------------------
# textual/widgets/_input.py renders the private property Input._value: the text with no escaping, so a
# control character in a value read from a file, the clipboard or AWS (ESC ] 52 sets the clipboard) would
# be written to the terminal.
_private(Input, "_value", property)


class ShowsControlCharacters:
    """Mixin for Input: each control character is drawn as one visible cell (␛); the value stays exact."""

    @property
    def _value(self) -> Text:
        if self.password:
            return Text("•" * len(self.value), no_wrap=True, overflow="ignore", end="")
        return Text(one_cell_each(self.value), no_wrap=True, overflow="ignore", end="")


# --- 4. Footer keeps every key it ever showed ------------------------------------------------------
# textual/widgets/_footer.py Footer.compose data-binds each FooterKey to Footer.compact, which puts a watcher
# naming the key on the Footer; it is pruned only when `compact` changes (never here), so each recompose
# (on every focus change) kept ~10 dead widgets (https://github.com/Textualize/textual/issues/6666).


async def recompose_dropping_old_keys(footer: Footer, recompose) -> None:
    """Run `recompose` (Footer.recompose) and forget the watchers of the keys it removed."""
    await recompose()
    # No watchers yet is no change in Textual: under load the keys' data binding can come after the
    # recompose returns (it raised here once and closed the app); the next recompose prunes them.
    # tests/test_textual_fixes.py (test_footer_frees_the_keys_it_replaces) says if Textual changed.
    if "compact" in vars(footer).get("__watchers", {}):
        compact = _watchers(footer, "compact")
        compact[:] = [(node, callback) for node, callback in compact if node.is_attached]


# --- 5. StylesCache.get_inner_outer keeps 1,024 removed widgets' render caches ----------------------
# textual/_styles_cache.py decorates the method StylesCache.get_inner_outer(cls, base_background,
# background) with lru_cache(1024): the key includes the StylesCache, so up to 1,024 removed widgets' caches
# (with their rendered strips) stay alive (https://github.com/Textualize/textual/issues/6665). The colours
# are all the result depends on, so the replacement caches by colour only.
_original_inner_outer = _private(StylesCache, "get_inner_outer")
if not hasattr(_original_inner_outer, "cache_clear"):
    raise RuntimeError("Textual changed: StylesCache.get_inner_outer is no longer an lru_cache; re-check the fix")
_inner_outer = lru_cache(1024)(partial(_original_inner_outer.__wrapped__, None))  # Textual's code, minus `cls`


def _get_inner_outer(self: StylesCache, base_background: Color, background: Color):
    return _inner_outer(base_background, background)


StylesCache.get_inner_outer = _get_inner_outer


# --- 6. OptionList.replace_option_prompt re-renders every option -----------------------------------
# textual/widgets/_option_list.py OptionList._replace_option_prompt calls _clear_caches(), which drops the
# rendered strips of every option: the section list re-rendered its 23 options whenever one badge or the
# current-section marker changed (every section switch, and every key that flips a warning). This drops
# only the changed options' renders. Each prompt must take the lines it took (the line cache is kept):
# one line, or text wrapping as before (the problems panel checks smjob.widgets.base.wrap_shape).
_private(Option, "_set_prompt")  # raises if Textual renamed it


def replace_prompts(option_list: OptionList, prompts: dict[str, Text]) -> None:
    """Set the prompts of the options with these ids, re-rendering only those options."""
    cache = _private(option_list, "_option_render_cache", LRUCache)
    for option_id, prompt in prompts.items():
        if "\n" in prompt.plain:
            raise ValueError("replace_prompts keeps the line cache: a prompt must not gain a line break")
        option = option_list.get_option(option_id)
        option._set_prompt(prompt)  # Option's private setter: the prompt and its cached visual
        for key in [key for key in cache.keys() if key[0] is option]:  # noqa: SIM118 (LRUCache has no __iter__)
            cache.discard(key)
    refresh_options(option_list, [option_list.get_option_index(option_id) for option_id in prompts])


_private(OptionList, "_index_to_line", property)
_private(OptionList, "_heights", property)


def refresh_options(option_list: OptionList, indices) -> None:
    """Repaint the lines of these options only: OptionList.refresh() repaints every line (the section list's
    22 took ~4 ms of each switch's frame, for the two whose marker moved)."""
    if not option_list.is_mounted:
        option_list.refresh()
        return
    first_lines, heights = option_list._index_to_line, option_list._heights
    for index in indices:
        if index is not None and index in first_lines:
            option_list.refresh_lines(first_lines[index], heights[index])


# --- 7. Every Strip allocates seven caches up front ----------------------------------------------
# textual/strip.py Strip.__init__ makes seven FIFOCaches (divide, crop, style, filter, line length,
# crop-extend, offsets): ~950 bytes a strip, and a line rarely uses more than one of them. Widgets
# keep their rendered lines, and each line keeps the strips derived from it, so an 80x24 screen holds
# ~2,500 strips: 2.6 MiB of peak RSS over the memory walk in `make bench`. Each cache is now made on
# first use (a property over Textual's own slot), and __init__ sets the other slots only.
def _lazy_cache(slot, size: int) -> property:
    def get(strip: Strip) -> FIFOCache:
        try:
            return slot.__get__(strip, Strip)
        except AttributeError:  # the slot is empty: the first use of this cache
            cache = FIFOCache(size)
            slot.__set__(strip, cache)
            return cache

    return property(get, slot.__set__)


STRIP_CACHE_SIZES = {  # as Strip.__init__ sizes them
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
_STRIP_OTHER_SLOTS = {"_segments", "_cell_length", "_render_cache", "_link_ids", "_cell_count"}  # set by _strip_init
if set(Strip.__slots__) != {*STRIP_CACHE_SIZES, *_STRIP_OTHER_SLOTS}:
    raise RuntimeError("Textual changed: Strip's slots differ; re-check the lazy Strip caches")
for _name, _size in STRIP_CACHE_SIZES.items():
    setattr(Strip, _name, _lazy_cache(_private(Strip, _name), _size))


ORIGINAL_STRIP_INIT = Strip.__init__  # the tests compare the two


def _strip_init(self: Strip, segments, cell_length: int | None = None) -> None:
    self._segments = list(segments)
    self._cell_length = cell_length
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


Strip.__init__ = _strip_init


# --- 8. Every DOM node makes a WeakSet for its timers up front --------------------------------------
# textual/message_pump.py MessagePump.__init__ sets `self._timers = WeakSet()` (~1 KB: a set, a list, a
# callback and a weak reference), and most nodes never start a timer: of ~320 nodes on the editor after
# the memory walk (190 widgets, and the DOMNodes Textual makes to hold Input's component styles), a
# handful do. The set is now made on first use; __init__'s empty one is dropped.
_TIMERS = "_smjob_timers"
if "_timers" in vars(MessagePump):
    raise RuntimeError("Textual changed: MessagePump._timers is a class attribute; re-check the lazy timer sets")


def _timers(pump: MessagePump) -> WeakSet:
    timers = pump.__dict__.get(_TIMERS)
    if timers is None:
        timers = pump.__dict__[_TIMERS] = WeakSet()
    return timers


def _set_timers(pump: MessagePump, timers: WeakSet) -> None:
    if timers:
        pump.__dict__[_TIMERS] = timers
    else:
        pump.__dict__.pop(_TIMERS, None)  # MessagePump.__init__'s empty set


MessagePump._timers = property(_timers, _set_timers)


# --- 9. Every style update makes a DOM node per component class, used or not -------------------------
# textual/css/stylesheet.py Stylesheet._process_component_classes styles a virtual DOMNode (~6.5 KB:
# styles, a node list, bindings...) for each of a widget's COMPONENT_CLASSES on every style update, and
# keeps them. An Input has four (cursor, placeholder, suggestion, selection): after the memory walk 131
# such nodes were alive, and an unfocused field draws only its placeholder, if any. Each is now made
# when first asked for (DOMNode.get_component_styles, through the same dict); those drawn with before
# an update are made again at once, and the widget repaints if they changed, as Textual did.
class LazyComponentStyles(dict):
    def __init__(self, stylesheet, node: DOMNode, names) -> None:
        super().__init__()
        self._stylesheet, self._node, self._names = stylesheet, node, frozenset(names)

    def __contains__(self, name) -> bool:
        return name in self._names or dict.__contains__(self, name)

    def __missing__(self, name: str):
        if name not in self._names:
            raise KeyError(name)
        virtual_node = DOMNode(classes=name)  # as Textual makes it
        virtual_node._attach(self._node)
        self._stylesheet.apply(virtual_node, animate=False)
        self[name] = virtual_node.styles
        return virtual_node.styles

    def clear(self) -> None:  # the widget was removed
        dict.clear(self)
        self._names = frozenset()


ORIGINAL_PROCESS_COMPONENT_CLASSES = _private(Stylesheet, "_process_component_classes")  # the tests compare


def _process_component_classes(self: Stylesheet, node: DOMNode) -> None:
    names = node._get_component_classes()
    if not names:
        return
    drawn = dict(node._component_styles)  # those made so far: the ones the widget has drawn with
    styles = node._component_styles = LazyComponentStyles(self, node, names)
    if any(styles[name] != old for name, old in drawn.items() if name in names):
        node.refresh()


Stylesheet._process_component_classes = _process_component_classes


# --- 10. After a layout, the first size lookup arranges the whole screen again ----------------------
# textual/_compositor.py Compositor.reflow arranges every widget (visible_only=False) and keeps that as
# the full map, but leaves `_full_map_invalidated` as it was; Screen._refresh_layout sets it just before
# (update_widgets: a dirty widget not yet on screen), as a section switch always does. The resize pass
# that follows (Widget._size_updated -> region -> Compositor.find_widget) then arranged the whole
# screen a second time, 3-7 ms on the largest forms. The map reflow made is the full map: it is valid.
ORIGINAL_REFLOW = _private(Compositor, "reflow")  # the tests compare


def _reflow(self: Compositor, parent, size):
    result = ORIGINAL_REFLOW(self, parent, size)
    self._full_map_invalidated = False
    return result


Compositor.reflow = _reflow


# --- 11. A widget nobody can see marks the whole map stale when it repaints ----------------------------
# textual/_compositor.py Compositor.update_widgets marks the full map invalid when a dirty widget is not
# on screen ("new widgets"), and the next size lookup of any widget (every Widget.refresh does one)
# arranges the whole screen again. The form built ahead, invisible on its layer, has widgets that
# repaint (a mount, a value loaded), so a section switch's first refresh arranged the whole screen
# before its layout did it once more: ~4 ms of the switch. A widget that cannot be on screen (hidden,
# or below a container that is not displayed) adds nothing to the map and no longer marks it stale.
ORIGINAL_UPDATE_WIDGETS = _private(Compositor, "update_widgets")  # the tests compare


def _can_show(widget: Widget) -> bool:
    if not widget.visible:  # Textual's rule: the nearest explicit `visibility`
        return False
    node = widget
    while isinstance(node, Widget) and not isinstance(node, Screen):
        if not node.display:
            return False
        node = node._parent
    return True


def _update_widgets(self: Compositor, widgets: set) -> None:
    if not self._full_map_invalidated:
        unseen = widgets - self.visible_widgets.keys()
        if unseen:
            widgets = widgets - {widget for widget in unseen if not _can_show(widget)}
    ORIGINAL_UPDATE_WIDGETS(self, widgets)


Compositor.update_widgets = _update_widgets


# --- 12. Every layout that changes a size asks for a second layout ----------------------------------
# textual/screen.py Screen._refresh_layout, after Compositor.reflow, gives each widget its new sizes
# through Widget._size_updated(layout=True), which sets `virtual_size`, a reactive with layout=True: any
# widget whose content grew or shrank (a message line under a field, the problems list) asks for a
# whole-screen layout of sizes that reflow has just computed. 8 ms per key in a list item's field that
# shows or clears a warning. What that layout could change has its own trigger: a scrollbar shown or
# hidden (`show_vertical_scrollbar`, layout=True) and a widget's own refresh. Anchored widgets (which
# scroll with their content, from the container size) keep Textual's second pass; smjob anchors none.
ORIGINAL_SIZE_UPDATED = _private(Widget, "_size_updated")  # the tests compare


def _size_updated(self: Widget, size, virtual_size, container_size, layout: bool = True) -> bool:
    layout = layout and self._anchored and not self._anchor_released
    return ORIGINAL_SIZE_UPDATED(self, size, virtual_size, container_size, layout)


Widget._size_updated = _size_updated


# --- 13. Keys already queued on a widget stay with it when the focus moves ----------------------------
# textual/app.py App.on_event hands each key to the widget focused when the app takes the key from its own
# queue; the widget handles it later, from its queue (MessagePump._message_queue, and _pending_message: the
# next message, peeked while handling one). A burst of keys (fast typing, a terminal or SSH sending several
# at once) is all queued on one widget before it handles the first, so a key handler that moves the focus
# (the map key line splitting `KEY=value`) left the keys after it with the old widget. The keys still
# waiting are moved, in order, to the widget now focused; keys the app takes later go there after them.
def hand_over_keys(source: MessagePump, target: MessagePump) -> None:
    """Move the key and paste events waiting on `source` to `target`, in order; other messages stay."""
    queue = _private(source, "_message_queue", MessageQueue)
    pending = _private(source, "_pending_message")  # before the queue's messages
    queued = []
    while not queue.empty():
        queued.append(queue.get_nowait())
    if isinstance(pending, (events.Key, events.Paste)):
        source._pending_message = None
        target.post_message(pending)
    for message in queued:
        if isinstance(message, (events.Key, events.Paste)):
            target.post_message(message)
        else:
            queue.put_nowait(message)  # in order; None (the queue closing) too


# --- 14. An Input that changes width keeps a scroll offset made for the old width ----------------------
# textual/widgets/_input.py Input scrolls its cursor into view only when the cursor or selection moves
# (_watch_selection), with the width it has then. A map's value line typed into in one burst (its key
# line grows with the key, `KEY=` then moves the focus to the value) got every key while it was 3 cells
# wider than after the layout that followed: the caret ended off the right edge, and End did not bring it
# back (the cursor did not move). After a change of size a focused Input scrolls its cursor into view
# again; an unfocused one shows no caret and stays as Textual leaves it (a long value from its start).
_private(Input, "_cursor_offset", property)


class KeepsTheCursorInView:
    """Mixin for Input: after a resize, a focused Input scrolls its cursor into view as a cursor move does."""

    def on_resize(self) -> None:
        if self.has_focus and self.size.width:
            self.scroll_to_region(Region(self._cursor_offset, 0, width=1, height=1), force=True, animate=False)


# --- 15. A notification cannot replace the one before it -------------------------------------------------
# textual/app.py App.notify returns nothing and App._unnotify takes the Notification it made; the app keeps
# them in App._notifications. Pressing ctrl+z ten times stacked ten "Undid: ..." toasts over the screen,
# the status line included. A notification that supersedes earlier ones of its kind removes them first.
def drop_notifications(app, superseded) -> None:
    """Remove the app's notifications whose message `superseded(message)` says the next one replaces."""
    notifications = _private(app, "_notifications")
    for notification in [n for n in notifications if superseded(n.message)]:
        app._unnotify(notification, refresh=False)
