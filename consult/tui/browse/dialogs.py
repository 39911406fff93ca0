"""Dialogs of the browser, and the rule that a dialog owns the keyboard from the first key.

Textual hands a key to the focused widget's queue and resolves ordinary bindings when the key
bubbles back up, so keys typed right after ``r`` used to reach the list behind the dialog (or
nothing) before the dialog's input had focus. Two things close that gap:

- the keys that open a dialog are *priority* bindings (:func:`dialog_binding`): the app resolves
  them as it reads the key, so the dialog is pushed before the next key is read;
- :class:`KeyHold`: from the moment a dialog is pushed the app holds every key it reads, and
  the dialog, once its input has focus, asks for them to be replayed, in the order typed.

Every prompt shown here is ``Text``/``Content`` (respondent text can sit in a theme label).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from consult.text import clean


def dialog_binding(key: str, action: str, description: str, **kwargs: Any) -> Binding:
    """A binding that opens a dialog: priority, so that it runs before the next key is read."""
    return Binding(key, action, description, priority=True, **kwargs)


def typing_in_a_field(screen) -> bool:
    """True while the user is typing into a text field or choosing in an open Select of
    ``screen``: a dialog's single-letter priority key must then leave the key to that field."""
    focused = screen.focused
    if focused is None:
        return False
    return isinstance(focused, Input) or any(isinstance(node, Select) for node in focused.ancestors)


class KeyHold:
    """App mixin: hold the keys read while a dialog opens, replay them once it can take them."""

    held_keys: list[events.Key] | None = None

    class Release(Message):
        """Posted by a dialog once it has focus: replay what was held (FIFO behind earlier keys)."""

    def open_dialog(self, dialog: ModalScreen, callback=None) -> None:
        """Push ``dialog``; every key from now until it has focus goes to it."""
        if self.held_keys is None:
            self.held_keys = []
        self.push_screen(dialog, callback)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.held_keys is not None:
            self.held_keys.append(event)
            return
        await super().on_event(event)

    async def on_key_hold_release(self, _message: KeyHold.Release) -> None:
        held, self.held_keys = self.held_keys or [], None
        for i, key in enumerate(held):
            if self.held_keys is not None:  # one of them opened another dialog: hold the rest for it
                self.held_keys[:0] = held[i:]
                return
            await super().on_event(key)


class Dialog(ModalScreen):
    """A modal that focuses ``FIRST_FOCUS`` and then releases the keys held while it opened."""

    FIRST_FOCUS = "Input"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical { width: 72; max-width: 95%; height: auto; max-height: 90%; border: thick $accent;
                        background: $surface; padding: 1 2; }
    Dialog Label { width: 1fr; height: auto; margin-bottom: 1; }
    Dialog Horizontal { height: auto; margin-top: 1; }
    Dialog Button { margin-right: 2; }
    """
    cancel_value: Any = None

    def on_mount(self) -> None:
        first = self.query_one(self.FIRST_FOCUS)
        if isinstance(first, Input):
            first.cursor_blink = False
        first.focus()
        self.app.post_message(KeyHold.Release())

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_value)


class InputModal(Dialog):
    """Ask for one line of text. Dismisses with the text, or None when cancelled.

    ``extra`` adds a second button (for instance "Remove flag") that dismisses with ``extra_value``.
    A value given is shown selected: typing replaces it, an arrow key keeps it to edit.
    """

    def __init__(self, title: str, prompt: Text | str, value: str = "", *, ok: str = "Save",
                 extra: str | None = None, extra_value: Any = None, allow_empty: bool = False):
        super().__init__()
        self.title_text = title
        self.prompt = prompt if isinstance(prompt, Text) else Text(prompt)
        self.value = value
        self.ok = ok
        self.extra = extra
        self.extra_value = extra_value
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Label(self.prompt)
            yield Input(value=clean(self.value), id="modal-input")
            with Horizontal():
                yield Button(self.ok, variant="primary", id="modal-ok")
                if self.extra:
                    yield Button(self.extra, variant="warning", id="modal-extra")
                yield Button("Cancel", id="modal-cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#modal-ok")
    def _ok(self) -> None:
        value = self.query_one(Input).value.strip()
        if not value and not self.allow_empty:
            self.query_one(Input).focus()
            self.app.bell()
            return
        self.dismiss(value)

    @on(Button.Pressed, "#modal-extra")
    def _extra(self) -> None:
        self.dismiss(self.extra_value)

    @on(Button.Pressed, "#modal-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)


class PickModal(Dialog):
    """Choose one of several options, typing to narrow them; dismisses with the option's value,
    or ``PickModal.CANCEL``. Up/Down move in the list while the filter has focus, Enter picks."""

    CANCEL = object()
    cancel_value = CANCEL
    DEFAULT_CSS = """
    PickModal OptionList { height: auto; max-height: 14; }
    PickModal #pick-filter { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("down", "move(1)", "Next", show=False, priority=True),
                Binding("up", "move(-1)", "Previous", show=False, priority=True)]

    def __init__(self, title: Text | str, options: list[tuple[Text, Any]]):
        super().__init__()
        self.title_text = title if isinstance(title, Text) else Text(title)
        self.values = [value for _, value in options]
        self.labels = [label for label, _ in options]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble(self.title_text, style="bold"))
            yield Input(placeholder="Type to narrow the list; ↑↓ choose, Enter picks", id="pick-filter",
                        compact=True)
            yield OptionList(*self.option_items(""))

    def option_items(self, typed: str) -> list[Option]:
        needle = typed.casefold().strip()
        return [Option(label, id=str(i)) for i, label in enumerate(self.labels)
                if not needle or needle in label.plain.casefold()]

    @on(Input.Changed, "#pick-filter")
    def _narrow(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self.option_items(event.value))
        if options.option_count:
            options.highlighted = 0

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -delta
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    @on(Input.Submitted, "#pick-filter")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.app.bell()
            return
        self.dismiss(self.values[int(options.get_option_at_index(options.highlighted).id)])

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[int(event.option.id)])


class ConfirmModal(Dialog):
    """Say what an action will do and ask before doing it: dismisses True or False.

    Enter or ``y`` confirms, Esc or ``n`` cancels; focus starts on the action's button.
    """

    FIRST_FOCUS = "#confirm-ok"
    cancel_value = False
    BINDINGS = [Binding("escape,n", "cancel", "Cancel"), Binding("y", "confirm", "Confirm")]

    def __init__(self, title: str, message: Text, ok: str):
        super().__init__()
        self.title_text = title
        self.message = message
        self.ok = ok

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Label(self.message)
            with Horizontal():
                yield Button(self.ok, variant="warning", id="confirm-ok")
                yield Button("Cancel", id="confirm-cancel")

    @on(Button.Pressed, "#confirm-ok")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(False)


def quoted(label: str, width: int = 50) -> Text:
    """A theme label inside a sentence: ‘label’, cleaned and cut to one line."""
    from consult.text import one_line

    return Text(f"‘{one_line(label, width)}’")
