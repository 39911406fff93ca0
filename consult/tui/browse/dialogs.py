"""Dialogs of the browser, and the rule that a dialog owns the keyboard from the first key.

Textual hands a key to the focused widget's queue and resolves ordinary bindings when the key
bubbles back up, so keys typed right after ``r`` used to reach the list behind the dialog (or
nothing) before the dialog's input had focus. Two things close that gap:

- the keys that open a dialog are *priority* bindings (:func:`dialog_binding`): the app resolves
  them as it reads the key, so the dialog is pushed before the next key is read;
- :class:`KeyHold`: from the moment a dialog is pushed the app holds every key it reads, and
  the dialog, once its input has focus, asks for them to be replayed, in the order typed.
  The same from the key that closes a dialog (Enter, Esc, its own closing letters) until the
  dialog's callback has run: the keys typed after it then reach the next dialog the callback
  opens, or the screen behind once it is back, never the closing dialog nor the screen behind
  while the next dialog is still opening.

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


# Keys held after a closing key are given back to a dialog that is still open after this long
# (a path that neither closed it nor said it stays): never lost, and short enough not to be felt.
STAY_OPEN_RELEASE_S = 1.0


class KeyHold:
    """App mixin: hold the keys read while a dialog opens or closes, replay them once the
    dialog (or the next one, or the screen behind) can take them."""

    held_keys: list[events.Key] | None = None
    # Bumped whenever a hold starts, so that a stale safety timer leaves a newer hold alone.
    _hold_number: int = 0
    _dialogs_opened: int = 0

    class Release(Message):
        """Posted once keys can go on (FIFO behind earlier keys): a dialog has focus, has closed
        and opened nothing, or stays open. ``number`` is the hold it ends: a late release of
        an older hold leaves a newer one alone."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def _start_hold(self) -> int:
        if self.held_keys is None:
            self.held_keys = []
        self._hold_number += 1
        return self._hold_number

    def open_dialog(self, dialog: ModalScreen, callback=None) -> None:
        """Push ``dialog``; every key from now until it has focus goes to it. When it closes,
        the keys typed meanwhile go to the next dialog its callback opens, else back on."""
        dialog.hold_number = self._start_hold()
        self._dialogs_opened += 1

        def closed(result) -> None:
            opened = self._dialogs_opened
            if callback is not None:
                callback(result)
            if self._dialogs_opened == opened:
                self.release_keys()

        self.push_screen(dialog, closed)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.held_keys is not None:
                self.held_keys.append(event)
            else:
                await self._take_key(event)
            return
        await super().on_event(event)

    async def _take_key(self, key: events.Key) -> None:
        """Hand ``key`` on; if it closes the dialog on top, hold what follows."""
        screen = self.screen
        if isinstance(screen, Dialog) and screen.closes_on(key.key):
            number = self._start_hold()
            self.set_timer(STAY_OPEN_RELEASE_S, lambda: self._release_if_open(screen, number))
        await super().on_event(key)

    def release_keys(self, number: int | None = None) -> None:
        """Replay the held keys once the messages before this have run (``number``: only if
        that hold is still the latest; default the latest)."""
        self.post_message(KeyHold.Release(self._hold_number if number is None else number))

    def _release_if_open(self, dialog: Dialog, number: int) -> None:
        if self.held_keys is not None and self.screen is dialog:
            self.release_keys(number)

    async def on_key_hold_release(self, message: KeyHold.Release) -> None:
        if message.number != self._hold_number:
            return
        held, self.held_keys = self.held_keys or [], None
        for i, key in enumerate(held):
            if self.held_keys is not None:  # one of them opened or closed a dialog: hold the rest
                self.held_keys[:0] = held[i:]
                return
            await self._take_key(key)


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
    hold_number: int | None = None  # the key hold open_dialog started for this dialog
    #: Keys that close the dialog whatever has focus (besides Enter, and Space on a button).
    CLOSING_KEYS: tuple[str, ...] = ("escape",)

    def closes_on(self, key: str) -> bool:
        """True if ``key`` may close this dialog: the app then holds the keys after it."""
        return key == "enter" or key in self.CLOSING_KEYS or (key == "space" and isinstance(self.focused, Button))

    def stay(self) -> None:
        """The closing key did not close the dialog (nothing to save): ring, take keys again."""
        self.app.bell()
        self.app.release_keys()

    def on_mount(self) -> None:
        first = self.query_one(self.FIRST_FOCUS)
        if isinstance(first, Input):
            first.cursor_blink = False
        first.focus()
        self.app.release_keys(self.hold_number)

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
            self.stay()
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

    def on_mount(self) -> None:  # Dialog.on_mount runs too (Textual calls each class's handler)
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
            self.stay()
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
    CLOSING_KEYS = ("escape", "n", "y")
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
