"""The curation keys of the themes screen: every one a call of the store's codebook API.

Theme actions (confirm, rename, describe, merge, split, delete, add, broad theme) act on the
highlighted theme; answer actions (move, the answer's themes) on the highlighted answer, or on
the selected ones for move and split. Whatever changes data and cannot be seen at once asks
first and says what will happen; Ctrl+Z undoes the last change (the store keeps each edit's
"before"), and h shows the history. No SQL here.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from consult.store.curation import CurationError
from consult.text import plural
from consult.tui.browse.dialogs import (
    ConfirmModal,
    Dialog,
    InputModal,
    PickModal,
    quoted,
    typing_in_a_field,
)
from consult.tui.browse.widgets import safe_line

DIALOG_ACTIONS = ("confirm", "rename", "merge", "move", "split", "describe", "add", "delete", "reparent",
                  "answer_themes", "history", "excerpt", "flag", "exclude")
OTHER = object()  # move target: Other (fits no theme)
NEW = object()  # move target: a new theme, named next
TOP = object()  # broad-theme target: back at the top level


class HistoryModal(Dialog):
    """What staff changed in a question's codebook, newest first (undone changes say so)."""

    FIRST_FOCUS = "#history-close"
    CLOSING_KEYS = ("escape", "h", "q")
    BINDINGS = [Binding("escape,h,q", "cancel", "Close")]

    def __init__(self, title: Text, lines: list[Text]):
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            with VerticalScroll(id="history-lines"):
                body = Text("\n").join(self.lines) if self.lines else Text("No changes yet.", style="dim")
                yield Static(body)
            yield Button("Close", id="history-close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)


class ThemeCuration:
    """Mixin for :class:`consult.tui.browse.themes.ThemesScreen`."""

    def typing_in_a_field(self) -> bool:
        return typing_in_a_field(self)

    # ------------------------------------------------------------------ helpers
    def _edit(self, fn, *args, keep: str | None = None, said: str = "", **kwargs):
        """One codebook edit: the store call, then the list read again; errors are said."""
        try:
            result = fn(*args, by=self.app.user, **kwargs)
        except (CurationError, ValueError) as exc:
            self.app.say(str(exc), error=True)
            return None
        if said:
            self.app.say(said + "  (Ctrl+Z undoes it)")
        self.load_themes(keep=keep)
        return True if result is None else result

    def _need_theme(self):
        theme = self.theme()
        if theme is None:
            self.app.say("Highlight a theme first (Other and the groups below it are not themes)."
                         if self.entry() else "No themes here yet: add one with a.")
        return theme

    def theme_option(self, t) -> tuple[Text, object]:
        text = Text("  └ " if t.parent_id is not None else "")
        text.append_text(safe_line(t.label, 50))
        text.append(f"  {plural(t.count, 'respondent')}", style="dim")
        return text, t

    def _ask(self, title: str, message: Text, ok: str, then) -> None:
        self.app.open_dialog(ConfirmModal(title, message, ok), lambda yes: yes and then())

    # ------------------------------------------------------------------ theme actions
    def action_confirm(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        if theme.status == "confirmed" and not theme.is_new:
            self.app.say(f"{theme.label} is already confirmed.")
            return
        message = Text.assemble("Confirm ", quoted(theme.label), f" ({plural(theme.count, 'respondent')}) as "
                                "staff's? Later runs keep it as it is and assign answers to it.")
        self._ask("Confirm theme", message, "Confirm",
                  lambda: self._edit(self.app.store.codebook_confirm, [theme.id], keep=f"t{theme.id}",
                                     said=f"Confirmed {theme.label}."))

    def action_rename(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        prompt = Text.assemble("New name for ", quoted(theme.label, 60), " (typing replaces it; ← → edit it):")

        def done(label) -> None:
            if label and label != theme.label:
                self._edit(self.app.store.codebook_rename, theme.id, label, keep=f"t{theme.id}",
                           said=f"Renamed to {label}.")

        self.app.open_dialog(InputModal("Rename theme", prompt, theme.label, ok="Rename"), done)

    def action_describe(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        prompt = Text.assemble("What ", quoted(theme.label, 60), " is about, for staff and the report:")

        def done(text) -> None:
            if text is not None:
                self._edit(self.app.store.codebook_describe, theme.id, text, keep=f"t{theme.id}",
                           said="Description saved.")

        self.app.open_dialog(InputModal("Describe theme", prompt, theme.description, ok="Save",
                                        allow_empty=True), done)

    def action_add(self) -> None:
        app = self.app

        def done(label) -> None:
            if label:
                new_id = self._edit(app.store.codebook_add, app.bank.id, self.question_id, label,
                                    said=f"Added {label}; move answers into it with v.")
                if new_id:
                    self.load_themes(keep=f"t{new_id}")

        app.open_dialog(InputModal("Add a theme", "Name of the new theme (confirmed; empty until you move "
                                   "answers in or a run assigns them):", ok="Add"), done)

    def action_merge(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        others = [t for t in self.coding.themes if t.id != theme.id]
        if not others:
            self.app.say("There is no other theme to merge into.")
            return

        def picked(into) -> None:
            if into is PickModal.CANCEL:
                return
            message = Text.assemble(
                "Merge ", quoted(theme.label), f" ({plural(theme.count, 'respondent')}) into ", quoted(into.label),
                f" ({into.count:,})? The merged theme keeps ", quoted(into.label), "; ", quoted(theme.label),
                " goes.")
            self._ask("Merge themes", message, "Merge",
                      lambda: self._edit(self.app.store.codebook_merge, theme.id, into.id, keep=f"t{into.id}",
                                         said=f"Merged {theme.label} into {into.label}."))

        title = Text.assemble("Merge ", quoted(theme.label), " into which theme?")
        self.app.open_dialog(PickModal(title, [self.theme_option(t) for t in others]), picked)

    def action_delete(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        alone = sum(1 for rid in theme.respondents if len(self.coding.themes_of(rid)) == 1)
        message = Text.assemble(
            "Delete ", quoted(theme.label), f" ({plural(theme.count, 'respondent')})? Its answers keep their "
            f"other themes; {plural(alone, 'answer')} with no other theme go to Other.")
        self._ask("Delete theme", message, "Delete",
                  lambda: self._edit(self.app.store.codebook_delete, theme.id, said=f"Deleted {theme.label}."))

    def action_reparent(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        broad = [t for t in self.coding.themes if t.parent_id is None and t.id != theme.id]
        options = [self.theme_option(t) for t in broad]
        if theme.parent_id is not None:
            options.insert(0, (Text("(top level: no broad theme)", style="italic"), TOP))

        def picked(parent) -> None:
            if parent is PickModal.CANCEL:
                return
            parent_id = None if parent is TOP else parent.id
            self._edit(self.app.store.codebook_reparent, theme.id, parent_id, keep=f"t{theme.id}",
                       said="Moved to the top level." if parent_id is None else f"Now under {parent.label}.")

        title = Text.assemble("Put ", quoted(theme.label), " under which broad theme?")
        self.app.open_dialog(PickModal(title, options), picked)

    # ------------------------------------------------------------------ answers
    def action_select(self) -> None:
        row = self.current()
        if row is None:
            return
        self.selected.symmetric_difference_update({row.respondent_id})
        self.refresh_row(row.respondent_id, row.question_id)
        table = self.query_one("#members-table")
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def chosen(self) -> list[str]:
        row = self.current()
        return sorted(self.selected) or ([row.respondent_id] if row else [])

    def action_split(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        if not self.selected:
            self.app.say("Select the answers to split off with space first.")
            return
        self.ask_new_theme(sorted(self.selected), source=theme, title="Split off a new theme")

    def ask_new_theme(self, chosen: list[str], *, source, title: str) -> None:
        """Name a new theme for ``chosen`` answers, say what happens, then do it: a split of
        ``source`` when they come from a theme, else a new theme they move into."""
        app = self.app

        def named(label) -> None:
            if not label:
                return
            if source is None:
                message = Text.assemble(f"Move {plural(len(chosen), 'answer')} into a new theme ", quoted(label), "?")
                self._ask(title, message, "Move", lambda: into_new(label))
                return
            left = sum(1 for rid in source.respondents if rid not in chosen)
            message = Text.assemble(
                f"Move {plural(len(chosen), 'answer')} out of ", quoted(source.label), " into a new theme ",
                quoted(label), "? ", quoted(source.label), f" keeps {plural(left, 'answer')}.")
            self._ask(title, message, "Split", lambda: split(label))

        def split(label: str) -> None:
            ids = self._edit(app.store.codebook_split, source.id, [(label, "", [], chosen)],
                             said=f"{plural(len(chosen), 'answer')} split off into {label}.")
            if ids:
                self.load_themes(keep=f"t{ids[0]}")

        def into_new(label: str) -> None:
            new_id = self._edit(app.store.codebook_add, app.bank.id, self.question_id, label)
            if new_id:
                self.move_to(chosen, new_id, said=f"Moved {plural(len(chosen), 'answer')} into {label}.")

        app.open_dialog(InputModal(title, f"Name of the new theme for the {plural(len(chosen), 'answer')}:",
                                   ok="Next"), named)

    def move_to(self, chosen: list[str], theme_id: int | None, *, said: str, also: bool = False) -> None:
        app = self.app
        for rid in chosen:
            try:
                app.store.codebook_code(app.bank.id, self.question_id, rid, theme_id, by=app.user, also=also)
            except CurationError as exc:
                app.say(str(exc), error=True)
                break
        else:
            app.say(said + "  (Ctrl+Z undoes each)")
        self.load_themes()

    def action_move(self) -> None:
        chosen = self.chosen()
        if not chosen or self.coding is None:
            self.app.say("Choose an answer first.")
            return
        entry, here = self.entry(), self.theme()
        targets = [self.theme_option(t) for t in self.coding.themes if here is None or t.id != here.id]
        if entry is None or entry.key != "other":
            targets.append((Text("Other (fits no theme)", style="italic"), OTHER))
        targets.append((Text("New theme…", style="bold"), NEW))

        def done(target) -> None:
            if target is PickModal.CANCEL:
                return
            if target is NEW:
                self.ask_new_theme(chosen, source=here, title="Move to a new theme")
            elif target is OTHER:
                self.move_to(chosen, None, said=f"Moved {plural(len(chosen), 'answer')} to Other.")
            else:
                self.move_to(chosen, target.id, said=f"Moved {plural(len(chosen), 'answer')} to {target.label}.")

        self.app.open_dialog(PickModal(f"Move {plural(len(chosen), 'answer')} to:", targets), done)

    def action_answer_themes(self) -> None:
        row = self.current()
        if row is None or self.coding is None:
            self.app.say("Choose an answer first.")
            return
        rid = row.respondent_id
        mine = self.coding.themes_of(rid)
        options = [(Text.assemble("Also: ", safe_line(t.label, 50)), ("also", t))
                   for t in self.coding.themes if t not in mine]
        if len(mine) > 1:
            options += [(Text.assemble("Take off: ", safe_line(t.label, 50),
                                       (" (main)" if rid in t.primary else "", "dim")), ("off", t)) for t in mine]

        def done(choice) -> None:
            if choice is PickModal.CANCEL:
                return
            what, t = choice
            if what == "also":
                self.move_to([rid], t.id, also=True, said=f"Also in {t.label} now.")
                return
            try:
                self.app.store.codebook_uncode(self.app.bank.id, self.question_id, rid, t.id, by=self.app.user)
            except CurationError as exc:
                self.app.say(str(exc), error=True)
                return
            self.app.say(f"No longer in {t.label}.  (Ctrl+Z undoes it)")
            self.load_themes()

        title = Text("Give this answer another theme too, or take one off:")
        self.app.open_dialog(PickModal(title, options), done)

    # ------------------------------------------------------------------ undo and history
    def action_undo(self) -> None:
        app = self.app
        try:
            undone = app.store.codebook_undo(app.bank.id, self.question_id, by=app.user)
        except CurationError as exc:
            app.say(str(exc), error=True)
            return
        if undone is None:
            app.say("Nothing left to undo for this question.")
            return
        app.say(f"Undone: {undone.summary}.")
        self.load_themes()

    def action_history(self) -> None:
        app = self.app
        lines = []
        for a in app.store.codebook_history(app.bank.id, self.question_id):
            line = Text(f"{app.short_date(a.at)}  ", style="dim")
            line.append_text(safe_line(a.by, 20))
            line.append("  ")
            line.append_text(safe_line(a.summary, 200, style="strike dim" if a.undone_at else ""))
            if a.undone_at:
                line.append("  (undone by ", style="dim")
                line.append_text(safe_line(a.undone_by, 20, style="dim"))
                line.append(")", style="dim")
            lines.append(line)
        title = Text(f"Changes to the themes of Q{app.question_number(self.question_id)}, newest first "
                     "(Ctrl+Z undoes the newest)", style="bold")
        app.open_dialog(HistoryModal(title, lines))
