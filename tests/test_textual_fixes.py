"""Each workaround in smjob/widgets/textual_fixes.py still works, and the plain Textual widget still
needs it (so each test can fail). After a Textual upgrade, the failing tests name what to revisit.

Leak checks mount 100 widgets in a container, remove it, let the parent lay out a few more times
(Textual's arrangement cache keeps the last 4 layouts' widgets: bounded, not a leak), collect, and
count the survivors through weak references.
"""

import functools
import gc
import inspect
import weakref

import pytest
import textual
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Footer, Input, Static, TextArea
from textual.widgets._footer import FooterKey

from smjob.widgets import gc_pause, textual_fixes
from smjob.widgets.footer import QuietFooter
from smjob.widgets.inputs import TextInput
from smjob.widgets.text_box import TextBox
from smjob.widgets.textual_fixes import TEXTUAL_VERSION, LeavesTheSelectionSignal
from tests.support.waiting import wait_until

COUNT = 100
SIZE = (80, 24)


def test_textual_is_the_version_the_fixes_were_written_for():
    assert textual.__version__ == TEXTUAL_VERSION, (
        f"Textual is {textual.__version__}, the workarounds in smjob/widgets/textual_fixes.py were written for "
        f"{TEXTUAL_VERSION}: re-check every one (the tests in this file, and whether upstream fixed it), "
        "then update TEXTUAL_VERSION"
    )


class Host(App):
    BINDINGS = [Binding("ctrl+n", "next", "Next"), Binding("f2", "other", "Other")]

    def __init__(self, footer: type[Footer] = Footer) -> None:
        super().__init__()
        self.footer_class = footer

    def compose(self) -> ComposeResult:
        yield Vertical(id="host")
        yield self.footer_class()


async def _churn(pilot, host: Widget) -> None:
    """A few more layouts: Textual's arrangement caches keep the last 4 layouts' widgets (bounded)."""
    for _ in range(6):
        churn = Static("churn")
        await host.mount(churn)
        await pilot.pause()
        await churn.remove()
        await pilot.pause()


async def survivors(make, count: int = COUNT) -> int:
    """How many of `count` widgets from `make()` are still alive after being mounted and removed."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        host = app.query_one("#host")
        box = Vertical()
        await host.mount(box)
        widgets = [make() for _ in range(count)]
        await box.mount_all(widgets)
        refs = [weakref.ref(w) for w in widgets]
        del widgets
        await pilot.pause()
        await box.remove()
        del box
        await _churn(pilot, host)
        gc.collect()
        return sum(ref() is not None for ref in refs)


async def test_the_leak_check_sees_a_freed_widget():
    assert await survivors(Static) == 0


async def test_inputs_are_freed_once_removed():
    assert await survivors(TextInput) == 0
    # Without LeavesTheSelectionSignal: the screen's text-selection signal keeps every Input.
    assert await survivors(Input) == COUNT


class OnlyLeavesTheSignal(LeavesTheSelectionSignal, TextArea):
    pass


async def test_text_areas_are_freed_once_removed():
    assert await survivors(TextBox) == 0
    assert await survivors(TextArea) == COUNT
    # The signal is not the only hold on a TextArea: the app's theme watchers keep it too.
    assert await survivors(OnlyLeavesTheSignal) == COUNT


async def kept_footer_keys(footer_class: type[Footer]) -> tuple[int, int]:
    """(replaced keys still alive, data-bound keys showing) after the footer recomposed COUNT times."""
    app = Host(footer_class)
    async with app.run_test(size=SIZE) as pilot:
        footer = app.query_one(Footer)
        await wait_until(pilot, lambda: footer.query(FooterKey), what="the footer's keys")
        refs = []
        for _ in range(COUNT):
            refs += [weakref.ref(key) for key in footer.query(FooterKey)]
            footer.refresh(recompose=True)  # what a focus change does
            last = refs[-1]
            await wait_until(pilot, lambda last=last: last() is None or not last().is_attached, what="a recompose")
        showing = len(footer.query(FooterKey).exclude(".-command-palette"))  # the palette's key is not bound
        await _churn(pilot, footer)  # its arrangement cache holds the last keys
        gc.collect()
        return sum(ref() is not None for ref in refs), showing


async def test_footer_frees_the_keys_it_replaces():
    alive, _ = await kept_footer_keys(QuietFooter)
    assert alive == 0
    alive, showing = await kept_footer_keys(Footer)
    assert alive == COUNT * showing  # the plain Footer keeps every key it ever showed


async def styles_caches_alive() -> int:
    """How many of COUNT painted, then removed, widgets' StylesCaches are still alive."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        host = app.query_one("#host")
        refs = []
        for _ in range(COUNT // 10):  # 10 on screen at a time: each is painted
            statics = [Static(f"line {i}") for i in range(10)]
            await host.mount_all(statics)
            await pilot.pause()
            refs += [weakref.ref(s._styles_cache) for s in statics]
            await host.remove_children()
            del statics
        for _ in range(6):
            await host.mount(Static("churn"))
            await pilot.pause()
            await host.remove_children()
        gc.collect()
        return sum(ref() is not None for ref in refs)


async def test_removed_widgets_render_caches_are_freed(monkeypatch):
    assert await styles_caches_alive() == 0
    original = textual_fixes._original_inner_outer
    original.cache_clear()
    monkeypatch.setattr(StylesCache, "get_inner_outer", original)
    assert await styles_caches_alive() >= COUNT * 0.9  # Textual's lru_cache keeps them (a few never painted)
    original.cache_clear()


class Typing(App):
    def __init__(self, make_input) -> None:
        super().__init__()
        self.make_input = make_input
        self.events: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.make_input(self)
        yield Static("below")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.events.append(f"Changed {event.value}")


async def typed_one_key(monkeypatch, make_input) -> tuple[Typing, list[bool]]:
    """Type 'x'; returns the app (its events, and `frames`: frames painted since just before the key)
    and the `layout` argument of each refresh the input asked for."""
    app = Typing(make_input)
    layouts: list[bool] = []
    original_refresh = Widget.refresh

    def refresh(self, *regions, repaint=True, layout=False, recompose=False):
        if isinstance(self, Input):
            layouts.append(layout)
        return original_refresh(self, *regions, repaint=repaint, layout=layout, recompose=recompose)

    frames = [0]
    async with app.run_test(size=SIZE) as pilot:
        field = app.query_one(Input)
        field.focus()
        await pilot.pause()
        original_display = app._display

        def display(screen, renderable):
            frames[0] += 1
            original_display(screen, renderable)

        monkeypatch.setattr(app, "_display", display)
        app.frames = frames
        monkeypatch.setattr(Widget, "refresh", refresh)
        await pilot.press("x")
        await wait_until(pilot, lambda: "Changed x" in app.events, what="Input.Changed")
        monkeypatch.setattr(Widget, "refresh", original_refresh)
    return app, layouts


async def test_typing_calls_edited_in_the_keystroke_and_lays_nothing_out(monkeypatch):
    def edited(app, text):
        in_key_handler = any(frame.function == "_on_key" for frame in inspect.stack())  # Input._on_key
        app.events.append(f"edited {text} after {app.frames[0]} frames, in the key handler: {in_key_handler}")

    app, layouts = await typed_one_key(monkeypatch, lambda app: TextInput(edited=lambda text: edited(app, text)))
    # In the key's own handler: before Input.Changed is handled, before the frame showing the key.
    assert app.events == ["edited x after 0 frames, in the key handler: True", "Changed x"]
    assert layouts and not any(layouts)  # repaints only
    # Without TypesWithoutRelayout, the same keystroke asks for a layout of the screen.
    _, layouts = await typed_one_key(monkeypatch, lambda app: Input())
    assert any(layouts)


async def test_edited_is_not_called_for_a_prevented_change():
    calls = []

    class One(App):
        def compose(self) -> ComposeResult:
            yield TextInput(edited=calls.append)

    app = One()
    async with app.run_test(size=SIZE) as pilot:
        field = app.query_one(TextInput)
        with field.prevent(Input.Changed):
            field.value = "loaded"
        field.value = "typed"
        await pilot.pause()
    assert calls == ["typed"]


@pytest.mark.parametrize("hostile", ["a\x1b]52;c;aGk=\x07b", "\x9b2J\x7f"])
async def test_inputs_draw_control_characters_as_visible_cells(hostile):
    class Two(App):
        def compose(self) -> ComposeResult:
            yield TextInput(value=hostile, compact=True)
            yield Input(value=hostile, compact=True)

    app = Two()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ours, plain = app.query(Input)
        assert ours.value == hostile  # the value is exact
        shown = ours.render_line(0).text
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in shown)
        assert any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in plain.render_line(0).text)


# --- the GC policy (widgets/gc_pause.py) ------------------------------------------------------------


async def test_section_switches_never_collect_and_dropped_forms_are_freed_when_idle():
    from smjob.tui.app import SmjobApp
    from smjob.widgets.base import FieldEditor

    frames = [0]
    collections: list[tuple[int, bool]] = []  # (generation, automatic collection paused)

    def record(phase, info):
        if phase == "start":
            collections.append((info["generation"], not gc.isenabled()))

    app = SmjobApp({}, autosave=False)
    gc.callbacks.append(record)
    try:
        async with app.run_test(size=SIZE) as pilot:
            editor = app.editor
            assert gc.get_freeze_count() > 0  # frozen before the first form was built
            await wait_until(pilot, lambda: editor.form.query(FieldEditor), what="the first form")
            dropped = weakref.ref(editor.form.query(FieldEditor).first())
            first = editor.current
            original_display = app._display

            def display(screen, renderable):
                frames[0] += 1
                original_display(screen, renderable)

            app._display = display
            collections.clear()
            await pilot.press("ctrl+n")
            await wait_until(pilot, lambda: editor.current is not first and frames[0], what="the next section")
            await wait_until(pilot, lambda: not editor._gc.active, what="the pause lifted after the frame")
            assert gc.isenabled()
            # While the switch built its frame, automatic collection was paused and no full one ran.
            assert not [generation for generation, paused in collections if paused]
            assert editor.forms.kept(first.key), "the first section's form is kept, hidden"
            # A new request makes every kept form stale: they are dropped, and freed by the app's own
            # full collection once the user is idle (automatic collection is off here).
            gc.disable()
            editor.replace_request({"TrainingJobName": "another"}, source="test")
            await wait_until(pilot, lambda: dropped() is None, what="the stale form freed when idle")
            assert [generation for generation, _ in collections][-1:] == [2]
    finally:
        gc.enable()
        gc.callbacks.remove(record)
    assert gc.get_freeze_count() == 0  # handed back when the editor goes away
    assert gc.isenabled()


async def test_replace_prompts_re_renders_only_the_changed_option():
    from rich.text import Text
    from textual.widgets import OptionList
    from textual.widgets.option_list import Option

    class Host(App):
        def compose(self) -> ComposeResult:
            yield OptionList(*[Option(Text(f"option {i}"), id=f"o{i}") for i in range(10)])

    def rendered(option_list) -> set:  # the prompts whose strips are cached
        return {
            Text(key[0].prompt).plain if isinstance(key[0].prompt, str) else key[0].prompt.plain
            for key in option_list._option_render_cache.keys()  # noqa: SIM118 (LRUCache has no __iter__)
        }

    async with Host().run_test() as pilot:
        option_list = pilot.app.query_one(OptionList)
        await pilot.pause()
        assert len(rendered(option_list)) == 10
        option_list.replace_option_prompt("o3", "plain Textual")  # still drops every option's render
        assert rendered(option_list) == set()
        await pilot.pause()
        textual_fixes.replace_prompts(option_list, {"o5": Text("only this one")})
        assert "option 5" not in rendered(option_list) and len(rendered(option_list)) == 9
        assert option_list._styles_cache._dirty_lines == {5 + option_list.content_offset.y}  # its line alone
        await pilot.pause()
        assert "only this one" in rendered(option_list)
        assert option_list.get_option("o5").prompt.plain == "only this one"


async def test_the_section_list_repaints_the_two_lines_a_switch_changes():
    from smjob.sections import app_sections
    from smjob.widgets.section_list import SectionList

    sections = app_sections()

    class Host(App):
        def compose(self) -> ComposeResult:
            yield SectionList(sections)

    async with Host().run_test(size=(40, 40)) as pilot:
        section_list = pilot.app.query_one(SectionList)
        await pilot.pause()
        section_list.select_section(sections[3].key)
        top = section_list.content_offset.y
        assert section_list._styles_cache._dirty_lines == {top, top + 3}  # left, and now marked and highlighted
        await pilot.pause()
        assert section_list.highlighted == 3
        assert str(section_list.get_option_at_index(3).prompt).startswith("▸ ")
        assert not str(section_list.get_option_at_index(0).prompt).startswith("▸ ")


async def test_closing_the_app_during_a_switch_leaves_collection_on():
    """A switch pauses automatic collection until its frame; an app closed before that frame must not
    leave it off (in a test process, for every test after it)."""
    from smjob.tui.app import SmjobApp

    app = SmjobApp({}, autosave=False)
    try:
        async with app.run_test(size=SIZE):
            app.editor._gc.begin()
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        gc.enable()


def test_freeze_startup_and_unfreeze():
    kept = Static()  # made before the freeze: exempt from collection until unfrozen
    try:
        gc_pause.freeze_startup()
        assert gc.get_freeze_count() > 0
    finally:
        gc_pause.unfreeze()
    assert gc.get_freeze_count() == 0
    del kept


# --- no other reach into Textual's privates --------------------------------------------------------


@functools.cache
def _source(cls: type) -> str:
    # getsource parses the class's whole module each time; the same Textual bases recur for every class.
    return inspect.getsource(cls)


def private_textual_names(cls: type) -> set[str]:
    """Names `cls` defines or assigns (`self._x = ...`) that its Textual base classes use privately."""
    import re

    textual_bases = [c for c in cls.__mro__[1:] if c.__module__.startswith("textual.")]
    if not textual_bases:
        return set()

    class Probe(textual_bases[0]):  # what Textual's metaclass adds to every subclass
        pass

    own = {n for n in vars(cls) if n.startswith("_") and not n.startswith("__")} - set(vars(Probe)) - {"_abc_impl"}
    own |= set(re.findall(r"self\.(_[a-z][a-z0-9_]*)\s*=", inspect.getsource(cls)))
    found = set()
    for base in textual_bases:
        source = _source(base)
        found |= {n for n in own if n in vars(base) or re.search(rf"self\.{n}\b", source)}
    return found


def test_no_widget_outside_textual_fixes_touches_textual_privates():
    import importlib
    import pkgutil

    import smjob.tui
    import smjob.tui.screens
    import smjob.widgets

    class Reaches(Input):  # what the check must catch
        def _watch_value(self, value: str) -> None:
            self._cursor_visible = True

    assert private_textual_names(Reaches) == {"_watch_value", "_cursor_visible"}
    offenders = {}
    for package in (smjob.widgets, smjob.tui, smjob.tui.screens):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for cls in vars(module).values():
                if (
                    isinstance(cls, type)
                    and cls.__module__ == module.__name__
                    and (names := private_textual_names(cls))
                ):
                    offenders[f"{module.__name__}.{cls.__name__}"] = sorted(names)
    assert offenders == {}, "move these into smjob/widgets/textual_fixes.py (with a test here), or rename them"


def _strips(init, count: int) -> list:
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    strips = []
    for i in range(count):
        strip = Strip.__new__(Strip)
        init(strip, [Segment(f"field {i} ", Style(bold=True)), Segment("value", Style(color="red"))])
        strips.append(strip)
    return strips


def _fifo_caches() -> int:
    from textual.cache import FIFOCache

    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is FIFOCache)


def test_strips_make_their_caches_on_first_use_only():
    before = _fifo_caches()
    plain = _strips(textual_fixes.ORIGINAL_STRIP_INIT, 200)
    assert _fifo_caches() - before == 7 * 200  # Textual: seven caches a strip, used or not
    lazy = _strips(textual_fixes._strip_init, 200)
    assert _fifo_caches() - before == 7 * 200
    for strip in lazy:
        strip.crop(1, 9)
    assert _fifo_caches() - before == 8 * 200  # one cache each: the crop's
    del plain, lazy


def test_strips_with_lazy_caches_give_textual_s_results_and_cache_them():
    from rich.style import Style
    from textual.color import Color
    from textual.filter import DimFilter

    dim, pad, italic = DimFilter(), Style(dim=True), Style(italic=True)  # cache keys: the same objects
    (plain,) = _strips(textual_fixes.ORIGINAL_STRIP_INIT, 1)
    (lazy,) = _strips(textual_fixes._strip_init, 1)
    operations = {
        "crop": lambda s: s.crop(2, 10),
        "divide": lambda s: s.divide([3, 8, 20]),
        "apply_style": lambda s: s.apply_style(italic),
        "apply_filter": lambda s: s.apply_filter(dim, Color(0, 0, 0)),
        "adjust_cell_length": lambda s: s.adjust_cell_length(30, pad),
        "crop_extend": lambda s: s.crop_extend(1, 25, pad),
        "apply_offsets": lambda s: s.apply_offsets(3, 4),
    }
    for name, operation in operations.items():
        expected, got = operation(plain), operation(lazy)
        assert list(got) == list(expected), name
        assert operation(lazy) is got, f"{name}: the second call is served from the cache"


def _weaksets() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is weakref.WeakSet)


def test_dom_nodes_make_no_timer_set_until_they_start_a_timer(monkeypatch):
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump

    before = _weaksets()
    nodes = [DOMNode() for _ in range(100)]
    assert _weaksets() - before < 5
    lazy = vars(MessagePump)["_timers"]
    monkeypatch.delattr(MessagePump, "_timers")  # Textual's own: one set per node, used or not
    plain = [DOMNode() for _ in range(100)]
    assert _weaksets() - before >= 100
    monkeypatch.setattr(MessagePump, "_timers", lazy, raising=False)
    del nodes, plain


async def test_a_widget_s_timers_still_stop_when_it_is_removed():
    fired: list[int] = []

    class Box(App):
        def compose(self) -> ComposeResult:
            yield Vertical(Static("ticks"), Static("quiet"))

    app = Box()
    async with app.run_test(size=SIZE) as pilot:
        ticking, quiet = app.query(Static)
        timer = ticking.set_interval(0.01, lambda: fired.append(1))
        assert set(ticking._timers) == {timer} and "_smjob_timers" not in vars(quiet)
        await wait_until(pilot, lambda: fired, what="the timer to fire")
        await ticking.remove()
        count = len(fired)
        await wait_until(pilot, lambda: timer._task is None or timer._task.done(), what="the timer to stop")
        await pilot.pause(0.05)
        assert len(fired) == count


class Components(App):
    """Widgets whose drawing reads component styles: Input (placeholder, cursor, selection), OptionList."""

    BINDINGS = [Binding("f2", "bell", "Ring")]

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList

        yield Input(placeholder="(not set)", id="empty")
        yield Input("some selected text", id="typed")
        yield OptionList("one", "two", "three")
        yield Footer()


async def _drawn(monkeypatch, process) -> list:
    """The screen's segments (text and style) unfocused, then with a selection in the focused input."""
    from textual.css.stylesheet import Stylesheet
    from textual.widgets.input import Selection

    monkeypatch.setattr(Stylesheet, "_process_component_classes", process)
    frames = []
    app = Components()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        frames.append([list(strip) for strip in app.screen._compositor.render_strips()])
        typed = app.query_one("#typed", Input)
        typed.focus()
        typed.selection = Selection(5, 13)
        await pilot.pause()
        frames.append([list(strip) for strip in app.screen._compositor.render_strips()])
    return frames


async def test_component_styles_made_on_first_use_draw_as_textual_s_own(monkeypatch):
    ours = await _drawn(monkeypatch, textual_fixes._process_component_classes)
    theirs = await _drawn(monkeypatch, textual_fixes.ORIGINAL_PROCESS_COMPONENT_CLASSES)
    assert ours == theirs


def _virtual_nodes() -> int:
    from textual.dom import DOMNode

    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is DOMNode)


async def test_unfocused_inputs_make_no_component_nodes(monkeypatch):
    from textual.css.stylesheet import Stylesheet

    counts = {}
    for name, process in (
        ("ours", textual_fixes._process_component_classes),
        ("theirs", textual_fixes.ORIGINAL_PROCESS_COMPONENT_CLASSES),
    ):
        monkeypatch.setattr(Stylesheet, "_process_component_classes", process)
        app = App()
        async with app.run_test(size=SIZE) as pilot:
            before = _virtual_nodes()
            await app.screen.mount_all([Input(str(i)) for i in range(COUNT)])
            await pilot.pause()
            counts[name] = _virtual_nodes() - before
    assert counts["theirs"] >= 4 * COUNT  # Textual: cursor, placeholder, suggestion, selection, each
    assert counts["ours"] < 5


def _count_arrangements(monkeypatch) -> dict:
    """{"count": n}: how many times the compositor arranges the whole screen from now on."""
    from textual._compositor import Compositor

    arranged = {"count": 0}
    arrange_root = Compositor._arrange_root

    def counting(self, *args, **kwargs):
        arranged["count"] += 1
        return arrange_root(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "_arrange_root", counting)
    return arranged


async def _arrangements_per_layout(monkeypatch, reflow) -> list[int]:
    """How many times the whole screen is arranged by each layout that shows a hidden form."""
    from textual._compositor import Compositor
    from textual.screen import Screen

    monkeypatch.setattr(Compositor, "reflow", reflow)
    arranged = _count_arrangements(monkeypatch)
    per_layout: list[int] = []
    refresh_layout = Screen._refresh_layout

    def layout(self, *args, **kwargs):
        arranged["count"] = 0
        refresh_layout(self, *args, **kwargs)
        per_layout.append(arranged["count"])

    class Forms(App):
        def compose(self) -> ComposeResult:
            yield Vertical(*[Static(f"field {i}") for i in range(20)], id="shown")
            hidden = Vertical(*[Static(f"other {i}") for i in range(20)], id="hidden")
            hidden.display = False
            yield hidden

    app = Forms()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", layout)
        app.query_one("#shown").display = False
        app.query_one("#hidden").display = True  # as a section switch does
        await wait_until(pilot, lambda: per_layout, what="the layout")
    return per_layout


async def test_a_layout_arranges_the_screen_once(monkeypatch):
    assert (await _arrangements_per_layout(monkeypatch, textual_fixes._reflow))[0] == 1
    assert (await _arrangements_per_layout(monkeypatch, textual_fixes.ORIGINAL_REFLOW))[0] == 2  # Textual's own


async def _drawn_after_theme_change(monkeypatch, process) -> list:
    from textual.css.stylesheet import Stylesheet

    monkeypatch.setattr(Stylesheet, "_process_component_classes", process)
    app = Components()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        app.query_one("#typed", Input).focus()
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        return [list(strip) for strip in app.screen._compositor.render_strips()]


async def test_component_styles_made_on_first_use_follow_a_theme_change(monkeypatch):
    ours = await _drawn_after_theme_change(monkeypatch, textual_fixes._process_component_classes)
    theirs = await _drawn_after_theme_change(monkeypatch, textual_fixes.ORIGINAL_PROCESS_COMPONENT_CLASSES)
    assert ours == theirs


async def _arranged_after_hidden_repaint(monkeypatch, update_widgets) -> int:
    """Whole-screen arrangements made by a repaint of a shown widget, after widgets nobody can see
    repainted (each Widget.refresh looks up its size: a map marked stale is arranged again)."""
    from textual._compositor import Compositor

    monkeypatch.setattr(Compositor, "update_widgets", update_widgets)

    class Forms(App):
        def compose(self) -> ComposeResult:
            yield Vertical(Static("shown"), id="shown")
            ahead = Vertical(*[Static(f"ahead {i}") for i in range(5)], id="ahead")
            ahead.styles.visibility = "hidden"  # as a form built ahead waits
            yield ahead
            kept = Vertical(Static("kept"), id="kept")
            kept.display = False  # as the form just left waits
            yield kept

    app = Forms()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        hidden = [*app.query("#ahead Static"), app.query_one("#kept Static")]
        for static in hidden:
            static.refresh()  # a repaint, no layout (a value loaded into a field of the same size)
        await wait_until(pilot, lambda: not any(s._repaint_required for s in hidden), what="the repaints sent")
        await pilot.pause()  # and handled by the screen
        arranged = _count_arrangements(monkeypatch)
        app.query_one("#shown Static").refresh()
        return arranged["count"]


async def test_a_widget_nobody_can_see_does_not_mark_the_map_stale(monkeypatch):
    assert await _arranged_after_hidden_repaint(monkeypatch, textual_fixes._update_widgets) == 0
    assert await _arranged_after_hidden_repaint(monkeypatch, textual_fixes.ORIGINAL_UPDATE_WIDGETS) == 1  # Textual's


class Growing(App):
    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll

        with VerticalScroll(id="form"):
            yield Static("field", id="field")
            yield Static("message", id="message")
            yield from (Static(f"other {i}") for i in range(8))


async def _layouts_after_growth(monkeypatch, size_updated, lines: int) -> tuple[int, list]:
    """Screen layouts made when a message under a field grows to `lines` lines, and the screen then."""
    from textual.screen import Screen

    monkeypatch.setattr(Widget, "_size_updated", size_updated)
    app = Growing()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        layouts = {"count": 0}
        refresh_layout = Screen._refresh_layout

        def counting(self, *args, **kwargs):
            layouts["count"] += 1
            refresh_layout(self, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        app.query_one("#message", Static).update("\n".join(f"line {i}" for i in range(lines)))
        screen = app.screen
        await wait_until(pilot, lambda: layouts["count"] and not screen._layout_required, what="the layouts done")
        await pilot.pause()
        return layouts["count"], [list(strip) for strip in screen._compositor.render_strips()]


@pytest.mark.parametrize("lines", [3, 30])  # 30: the form's scrollbar appears, which needs a layout of its own
async def test_a_widget_that_grows_costs_one_layout(monkeypatch, lines):
    ours, our_screen = await _layouts_after_growth(monkeypatch, textual_fixes._size_updated, lines)
    theirs, their_screen = await _layouts_after_growth(monkeypatch, textual_fixes.ORIGINAL_SIZE_UPDATED, lines)
    assert our_screen == their_screen
    assert ours == theirs - 1  # Textual's own lays the screen out again for the form's new virtual size


class Handover(App):
    """Two inputs; '>' typed in the first moves the focus to the second from inside the key's handler
    (as the map key line does at '='), then hands over the keys still waiting if `hand_over`."""

    def __init__(self, hand_over: bool) -> None:
        super().__init__()
        self.hand_over = hand_over
        self.callbacks: list[str] = []

    def compose(self) -> ComposeResult:
        yield TextInput(id="first", edited=self.edited)
        yield TextInput(id="second")

    def edited(self, text: str) -> None:
        first, second = self.query_one("#first", Input), self.query_one("#second", Input)
        if text.endswith(">"):
            with first.prevent(Input.Changed):
                first.value = text[:-1]
            self.screen.set_focus(second)
            first.call_later(self.ran)  # a message that is not a key: it stays with `first`
            if self.hand_over:
                textual_fixes.hand_over_keys(first, second)

    def ran(self) -> None:
        from textual._context import active_message_pump

        self.callbacks.append(f"ran on {active_message_pump.get().id}")


async def _typed_in_a_burst(hand_over: bool, text: str) -> tuple[list[str], list[str]]:
    """(the two inputs' values, the callbacks run) once every key typed is in one of them."""
    from tests.support.keyboard import type_text

    app = Handover(hand_over)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#first").focus()
        await pilot.pause()
        await type_text(pilot, text, burst=True)  # every key queued before the first is handled
        typed = len(text) - 1
        await wait_until(pilot, lambda: sum(len(i.value) for i in app.query(Input)) == typed, what="every key")
        await wait_until(pilot, lambda: app.callbacks, what="the callback")
        return [i.value for i in app.query(Input)], app.callbacks


async def test_keys_queued_on_a_widget_follow_the_focus_it_moves():
    assert await _typed_in_a_burst(True, "ab>cd ef") == (["ab", "cd ef"], ["ran on first"])
    # Textual's own: the keys queued before the focus moved are handled by the first input.
    assert await _typed_in_a_burst(False, "ab>cd ef") == (["abcd ef", ""], ["ran on first"])


# --- 14. a focused Input scrolls its cursor into view after a resize ------------------------------------


async def _caret_after_narrowing(cls) -> tuple[int, int, int]:
    """(scroll x, cursor cell, width) of a focused `cls` typed to its end at 31 cells, then narrowed to 28."""

    class Narrowing(App):
        def compose(self) -> ComposeResult:
            yield cls(id="line", compact=True)

    app = Narrowing()
    async with app.run_test(size=SIZE) as pilot:
        line = app.query_one("#line", Input)
        line.styles.width = 31
        line.focus()
        await wait_until(pilot, lambda: line.size.width == 31 and app.focused is line, what="the line")
        line.insert_text_at_cursor("hello world that is rather lon")
        await pilot.press("g")  # 31 characters typed: the caret at 31, the line scrolled by one
        await wait_until(pilot, lambda: line.scroll_offset.x == 1, what="the caret in view at 31 cells")
        line.styles.width = 28
        await wait_until(pilot, lambda: line.size.width == 28, what="the narrower line")
        await pilot.pause()
        return line.scroll_offset.x, line.cursor_position, line.size.width


async def test_a_focused_input_keeps_its_caret_in_view_when_it_narrows():
    left, caret, width = await _caret_after_narrowing(TextInput)
    assert left <= caret < left + width
    # Textual's own: the offset made for 31 cells stays, the caret is past the right edge.
    left, caret, width = await _caret_after_narrowing(Input)
    assert (left, caret, width) == (1, 31, 28)
