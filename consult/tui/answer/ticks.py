"""Choice widgets whose state reads as text, not as colour: ``[x]`` / ``[ ]`` boxes and
``(•)`` / ``( )`` options (Textual draws ``▐X▌`` and ``▐●▌`` for both states, told apart by
colour only, which a colour-blind member or a screen reader cannot)."""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton


class OptionButton(RadioButton):
    """A radio button whose label wraps (RadioButton keeps to one line and cuts a long option),
    and whose state reads as text: ``(•)`` chosen, ``( )`` not (Textual's shows ``▐●▌`` for
    both, told apart by colour only)."""

    BUTTON_LEFT = "("
    BUTTON_RIGHT = ")"
    BUTTON_INNER = " "

    DEFAULT_CSS = """
    OptionButton {
        width: 1fr;
        text-wrap: wrap;
        text-overflow: fold;
    }
    OptionButton > .toggle--button, OptionButton.-on > .toggle--button {
        background: transparent;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, label: Content, value: bool = False) -> None:
        super().__init__(label, value)
        self.BUTTON_INNER = "•" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "•" if self.value else " "
        super().watch_value()

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, self.render().get_height(self.styles, width))


class TickBox(Checkbox):
    """A check box whose state reads as text, on screen and to a screen reader: ``[x]`` and
    "ticked", or ``[ ]`` and "not ticked" (Textual's shows ``▐X▌`` either way)."""

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"
    BUTTON_INNER = " "

    DEFAULT_CSS = """
    TickBox > .toggle--button, TickBox.-on > .toggle--button {
        background: transparent;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, value: bool = False, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(self._words(value), value, id=id, classes=classes)
        self.BUTTON_INNER = "x" if value else " "

    @staticmethod
    def _words(value: bool) -> Content:
        return Content("Yes (ticked)" if value else "No (not ticked)")

    def watch_value(self) -> None:
        self.BUTTON_INNER = "x" if self.value else " "
        self.label = self._words(self.value)
        super().watch_value()


class TickList(SelectionList):
    """A SelectionList whose boxes read ``[x]`` / ``[ ]`` (not ``▐X▌`` in two colours)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        index = (segments[1].style.meta or {}).get("option") if segments[1].style else None
        try:
            ticked = index is not None and self.get_option_at_index(index).value in self.selected
        except Exception:  # an index past the end while the list changes
            return strip
        plain = segments[3].style if len(segments) > 3 else None
        box = [Segment("[", plain), Segment("x" if ticked else " ", segments[1].style), Segment("]", plain)]
        return Strip(box + segments[3:], strip.cell_length)
