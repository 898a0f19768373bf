"""smjob.widgets.virtual_table.VirtualTable and the wrapping widgets.code_view.CodeView, driven by pilot."""

from __future__ import annotations

import gc

from rich.cells import cell_len
from rich.text import Text
from textual.app import App
from textual.widgets import Static

from smjob.widgets.base import literal
from smjob.widgets.code_view import CodeView, Wrap
from smjob.widgets.gc_pause import GcPause
from smjob.widgets.virtual_table import Column, VirtualTable
from tests.support.waiting import wait_until

SIZE = (60, 12)  # the table gets 10 lines: a header and 9 rows (no horizontal scrollbar)
COLUMNS = [Column("mark", "", 1), Column("name", "name", 20), Column("n", "n", 6)]


class TableApp(App):
    def __init__(self, count: int = 1000, names: dict | None = None) -> None:
        super().__init__()
        self.count = count
        self.names = names or {}
        self.asked: list = []  # keys whose cells were built
        self.marked: set = set()
        self.selected: list = []

    def compose(self):
        yield Static("top")
        yield VirtualTable(COLUMNS, id="table")
        yield Static("bottom")

    def on_mount(self) -> None:
        self.table.set_rows(range(self.count), self.cells)
        self.table.focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def cells(self, key):
        self.asked.append(key)
        return [Text("*" if key in self.marked else ""), literal(self.names.get(key, f"row-{key}")), Text(str(key * 2))]

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.selected.append((event.row, event.key))


def _text(app) -> list[str]:
    """The screen as plain text, one string per line (what a terminal would show, without colour)."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


async def _shows(pilot, line: int, check, what: str) -> None:
    """Wait until line `line` of the screen passes `check` (the table paints when the app gets to it)."""

    def shown() -> bool:
        lines = _text(pilot.app)
        return len(lines) > line and check(lines[line])

    await wait_until(pilot, shown, what=f"{what}; line {line} is {_text(pilot.app)[line : line + 1]!r}")


async def test_only_rows_in_view_are_built_and_the_cursor_scrolls():
    app = TableApp(count=10_000)
    async with app.run_test(size=SIZE) as pilot:
        await _shows(pilot, 2, lambda text: text.split() == ["row-0", "0"], "the first row")
        table = app.table
        assert table.row_count == 10_000
        assert len(set(app.asked)) <= 10, "only the rows in view should be built"
        assert _text(app)[1].split() == ["name", "n"]  # the header

        await pilot.press("down", "down")
        assert table.cursor_row == 2 and table.cursor_key == 2
        await pilot.press("up")
        assert table.cursor_key == 1
        await pilot.press("pagedown")
        assert table.cursor_row == 1 + 9 and round(table.scroll_y) > 0
        assert table.cursor_row in range(round(table.scroll_y), round(table.scroll_y) + 9)
        await pilot.press("end")
        assert table.cursor_key == 9_999
        await _shows(pilot, 10, lambda text: text.split() == ["row-9999", "19998"], "the last row at the bottom")
        assert len(set(app.asked)) < 40
        await pilot.press("pageup")
        assert table.cursor_row == 9_999 - 9
        await pilot.press("home")
        assert table.cursor_key == 0 and table.scroll_y == 0
        await pilot.press("up")  # stays on the first row
        assert table.cursor_row == 0
        await pilot.press("enter")
        assert app.selected == [(0, 0)]


async def test_set_rows_keeps_the_cursor_on_its_key_and_refresh_row_rebuilds():
    app = TableApp(count=50)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.table
        table.move_cursor(5)
        table.set_rows([9, 7, 5, 3], app.cells, cursor_key=5)  # a narrower filter: still on 5
        assert table.row_count == 4 and table.cursor_row == 2 and table.cursor_key == 5
        table.set_rows([1, 2], app.cells, cursor_key=5)  # 5 is gone: the first row
        assert table.cursor_row == 0 and table.cursor_key == 1
        table.set_rows([], app.cells)
        assert table.cursor_key is None
        await pilot.press("down", "enter")
        assert app.selected == []

        table.set_rows(range(3), app.cells)
        await _shows(pilot, 3, lambda text: text.split() == ["row-1", "2"], "row 1 unmarked")
        app.marked.add(1)
        table.refresh_row(1)
        # row 1 is on line 3: title, header, row 0
        await _shows(pilot, 3, lambda text: text.startswith(" *"), "row 1 rebuilt with its mark")


async def test_clicks_move_the_cursor_and_a_second_click_selects():
    app = TableApp(count=30)
    async with app.run_test(size=SIZE) as pilot:
        await _shows(pilot, 2, lambda text: "row-0" in text, "the first row")
        table = app.table
        await pilot.click(VirtualTable, offset=(3, 4))  # line 4 of the table: row 3
        assert table.cursor_row == 3 and app.selected == []
        await pilot.click(VirtualTable, offset=(3, 4))
        assert app.selected == [(3, 3)]
        await pilot.click(VirtualTable, offset=(3, 0))  # the header: nothing
        assert table.cursor_row == 3 and len(app.selected) == 1


async def test_cells_are_shown_literally_and_cut_to_their_column():
    hostile = {0: "[red]x[/red][b]b[/b]", 1: "\x1b[31mred?", 2: "a" * 40, 3: "日本語の名前です、長い名前"}
    app = TableApp(count=4, names=hostile)
    async with app.run_test(size=SIZE) as pilot:
        await _shows(pilot, 5, lambda text: "\u2026" in text, "the last row")
        lines = _text(app)
        assert "[red]x[/red][b]b[/b]" in lines[2]  # 20 cells: not cut
        assert "\\x1b[31mred?" in lines[3]
        assert "a" * 19 + "\u2026" in lines[4] and "a" * 20 not in lines[4]
        assert "\u2026" in lines[5]
        for line, n in ((lines[4], "4"), (lines[5], "6")):  # cut cells keep the next column in place
            assert cell_len(line[: line.index(f" {n}") + 1]) == 26  # 1 + mark + 1, 1 + name 20 + 1, 1


def test_wrap_cuts_rows_by_cells():
    wrap = Wrap(["abcdefgh", "", "xy"], 3)
    assert [wrap.row(n) for n in range(len(wrap))] == [(0, 0, 3), (0, 3, 6), (0, 6, 8), (1, 0, 0), (2, 0, 2)]
    wrap = Wrap(["日本語ab", "é"], 3)  # wide characters take two cells: never split, never over width
    assert [wrap.row(n) for n in range(len(wrap))] == [(0, 0, 1), (0, 1, 2), (0, 2, 4), (0, 4, 5), (1, 0, 1)]


class CodeApp(App):
    def __init__(self, code: str) -> None:
        super().__init__()
        self.code_text = code

    def compose(self):
        view = CodeView("json", wrap=True)
        view.set_code(self.code_text)
        yield view


async def test_a_wrapping_code_view_shows_long_lines_whole():
    long_value = "-".join(f"part{i:03d}" for i in range(40))  # 319 characters
    code = '{\n  "Long": "' + long_value + '",\n  "Evil": "[red]x[/red] \x1b[2J"\n}'
    app = CodeApp(code)
    async with app.run_test(size=(40, 30)) as pilot:

        def joined() -> str:
            return "".join(line.rstrip() for line in _text(app))

        await wait_until(pilot, lambda: "[red]x[/red]" in joined(), what="the code view painted")
        view = app.query_one(CodeView)
        text = joined()
        assert long_value in text  # every part of the long line is on screen, in order
        assert max(len(line.rstrip()) for line in _text(app)) <= 38  # nothing past the scrollbar gutter
        assert "[red]x[/red] \\x1b[2J" in text
        assert view.virtual_size.height == len(view._wrap) > 4
        await pilot.resize_terminal(60, 30)
        await wait_until(pilot, lambda: view._wrap_width == view.scrollable_content_region.width, what="the rewrap")
        await wait_until(pilot, lambda: long_value in joined(), what="the long line after the resize")


async def test_gc_pause_is_lifted_after_the_frame_or_the_limit(monkeypatch):
    import smjob.widgets.gc_pause as gc_pause

    monkeypatch.setattr(gc_pause, "LIMIT", 0.05)
    app = TableApp(count=3)
    assert gc.isenabled()
    try:
        async with app.run_test(size=SIZE) as pilot:
            pause = GcPause(app.table)
            pause.begin()
            assert not gc.isenabled() and pause.active
            pause.end_after_paint()
            app.table.refresh()
            await wait_until(
                pilot, lambda: gc.isenabled() and not pause.active, what="the pause lifted after the frame"
            )
            pause.begin()
            assert not gc.isenabled()
            waited = await wait_until(pilot, gc.isenabled, what="the limit to lift the pause")  # nothing else ends it
            assert waited >= gc_pause.LIMIT * 0.9  # not before the limit (asyncio timers may fire a tick early)
            gc.disable()  # paused by someone else: left alone
            pause.begin()
            assert not pause.active
            gc.enable()
    finally:
        gc.enable()
