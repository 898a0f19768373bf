"""What every picker screen shares. Focus stays in the filter line (#picker-filter), where letters
are filter text, so the list (#picker-list) moves with the arrows and pages, Enter picks the
highlighted option and Escape closes."""

from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList


class ListPickerScreen(ModalScreen):
    """Subclasses compose #picker-filter and #picker-list; `chosen(option_id)` dismisses with it
    unless overridden. Dismisses with None on Escape."""

    DEFAULT_CSS = """
    /* Focus stays in the filter, so show the list's highlight as if the list had focus. */
    ListPickerScreen #picker-list > .option-list--option-highlighted {
        color: $block-cursor-foreground; background: $block-cursor-background; text-style: bold;
    }
    ListPickerScreen #picker-list > .option-list--option-disabled { color: $text-accent; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Up", show=False, id="picker.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="picker.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="picker.page_up"),
    ]

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#picker-list", OptionList)

    def chosen(self, option_id: str) -> None:
        self.dismiss(option_id)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pick()

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and not event.option.disabled:
            self.chosen(event.option.id)

    def action_pick(self) -> None:
        option = self.option_list.highlighted_option
        if option is None or option.disabled or option.id is None:
            self.app.bell()
            return
        self.chosen(option.id)

    def action_move(self, step: int) -> None:
        olist = self.option_list
        olist.action_cursor_down() if step > 0 else olist.action_cursor_up()

    def action_page(self, step: int) -> None:
        olist = self.option_list
        olist.action_page_down() if step > 0 else olist.action_page_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
