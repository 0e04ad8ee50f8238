"""Finding the user: search the pool by username, email or phone, pick the real username.

A customer gives an email address or a phone number, rarely the username.
The operator types it, Enter searches (exact, or by prefix with F3), and
Enter on a match dismisses the screen with that :class:`UserSummary`: the app
puts its real username into the form. Each match shows its status, whether
it is enabled, whether email and phone are verified, and when it was created
and last changed; the line under the list says whether a resend makes sense.

The search runs in a thread worker (ListUsers pages take a round trip each);
its answer comes back as a message carrying the serial number of the search,
so a slow older answer never overwrites a newer one. Without credentials, or
when they lack the permission, the status line says which permission is
missing, in one line; the form and resending are not affected. Every value a
match holds is untrusted and shown through :func:`console.text.visible`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from console.cognito import (
    LookupKey,
    LookupQuery,
    LookupResult,
    RequestError,
    UserSummary,
    build_query,
    preflight_warning,
)
from console.text import one_line, visible
from console.tui.bindings import LOOKUP_ACTIONS, ActionSpec, screen_bindings
from console.tui.safe_text import safe_cell, safe_content
from console.tui.styles import stylesheet
from console.tui.widgets.fitting_footer import FittingFooter
from console.tui.widgets.scroll_bars import use_whole_cell_bars
from console.tui.widgets.title_line import TitleLine

__all__ = ["LOOKUP_LIMIT", "LookupScreen", "guess_key", "user_cells"]

LOOKUP_LIMIT = 200
"""Most matches a search lists: past ListUsers' 60-a-page, short of an export."""

Search = Callable[[LookupQuery], LookupResult]
"""Runs one search (blocking; called from a worker thread). Must not raise."""

_KEY_ORDER = (LookupKey.USERNAME, LookupKey.EMAIL, LookupKey.PHONE)
_COLUMNS = ("Username", "Status", "Enabled", "Email", "Email ✓", "Phone", "Phone ✓")
_TIME_COLUMNS = ("Created", "Modified")


def guess_key(text: str) -> LookupKey:
    """What the operator probably typed: an email (has @), a phone (starts with +) or a name."""
    value = text.strip()
    if "@" in value:
        return LookupKey.EMAIL
    if value.startswith("+"):
        return LookupKey.PHONE
    return LookupKey.USERNAME


def _time(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else "-"


def _yes_no(value: bool | None, present: bool = True) -> str:
    if not present:
        return "-"
    return {True: "yes", False: "no", None: "?"}[value]


def user_cells(user: UserSummary) -> tuple[str, ...]:
    """The row for *user*, each cell made visible."""
    return tuple(
        visible(cell)
        for cell in (
            user.username,
            user.status,
            "yes" if user.enabled else "NO",
            user.email or "-",
            _yes_no(user.email_verified, user.email is not None),
            user.phone_number or "-",
            _yes_no(user.phone_number_verified, user.phone_number is not None),
            _time(user.created),
            _time(user.last_modified),
        )
    )


class LookupScreen(Screen[UserSummary | None]):
    """Search form, matches, and what a resend to the highlighted match would do."""

    CSS_PATH = stylesheet("lookup.tcss")
    HELP_TITLE: ClassVar[str] = "User lookup"
    ACTION_SPECS: ClassVar[tuple[ActionSpec, ...]] = LOOKUP_ACTIONS
    """Also offered by the command palette while this screen is open."""
    BINDINGS: ClassVar[list[BindingType]] = list(screen_bindings(LOOKUP_ACTIONS, namespace=None))

    class Answered(Message):
        """A search's answer, from the worker."""

        def __init__(self, serial: int, query: LookupQuery, result: LookupResult) -> None:
            super().__init__()
            self.serial = serial
            self.query = query
            self.result = result

    def __init__(
        self,
        *,
        where: str,
        search: Search,
        initial: str = "",
        on_results: Callable[[Sequence[UserSummary]], None] | None = None,
        limit: int = LOOKUP_LIMIT,
    ) -> None:
        """*where* names the profile and pool (shown as is: build it from visible text).

        *initial* prefills the search (the form's username); *on_results*
        gets every user found, on the UI thread, so the app can warn before a
        resend to one that is CONFIRMED or disabled.
        """
        super().__init__()
        self._where = where
        self._search = search
        self._initial = initial
        self._on_results = on_results
        self._limit = limit
        self._serial = 0
        self._users: tuple[UserSummary, ...] = ()
        self._key_chosen = False  # F2 or the Select: stop guessing the key from the text
        self._guessed = guess_key(initial).value  # the key we set (not the operator)
        self.searching = False
        """A search is in flight (for tests and the status line)."""

    @property
    def users(self) -> tuple[UserSummary, ...]:
        """The matches listed."""
        return self._users

    @property
    def status_text(self) -> str:
        """The status line as shown."""
        return str(self.query_one("#lookup-status", Static).content)

    def compose(self) -> ComposeResult:
        """Key, value and prefix on one line; status; matches; the highlighted one's verdict."""
        key = guess_key(self._initial)
        yield TitleLine(self.HELP_TITLE, Content(one_line(self._where)), id="lookup-title")
        with Horizontal(id="lookup-bar"):
            yield Select[str](
                [(Text(k.label), k.value) for k in _KEY_ORDER],
                value=key.value,
                allow_blank=False,
                id="lookup-key",
                compact=True,
            )
            yield Input(
                self._initial.strip(),
                placeholder="username, email or phone (+15555550100)",
                id="lookup-value",
            )
            yield Checkbox("prefix", id="lookup-prefix", compact=True)
        yield Static(Content(""), id="lookup-status", markup=False)
        yield DataTable[Text](id="lookup-table", cursor_type="row", zebra_stripes=True)
        yield Static(Content(""), id="lookup-detail", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Columns, the opening hint, and the focus in the search field."""
        table: DataTable[Text] = self.query_one("#lookup-table", DataTable)
        # Widths follow the content: an email address is never cut short.
        for label in _COLUMNS:
            table.add_column(label)
        for label in _TIME_COLUMNS:
            table.add_column(label, width=16)
        use_whole_cell_bars(table)
        self._status(
            "type a username, email or phone number and press Enter (F2 search by, F3 prefix)"
        )
        self.query_one("#lookup-value", Input).focus()

    # -- helpers -------------------------------------------------------------

    def _status(self, text: str, style: str = "") -> None:
        status = self.query_one("#lookup-status", Static)
        status.update(Content.styled(one_line(text), style) if style else Content(one_line(text)))

    def _key(self) -> LookupKey:
        value = self.query_one("#lookup-key", Select).value
        return LookupKey(value) if isinstance(value, str) else LookupKey.USERNAME

    def _highlighted(self) -> UserSummary | None:
        table = self.query_one("#lookup-table", DataTable)
        row = table.cursor_row
        if not self._users or not 0 <= row < len(self._users):
            return None
        return self._users[row]

    def _show_detail(self) -> None:
        detail = self.query_one("#lookup-detail", Static)
        user = self._highlighted()
        if user is None:
            detail.update(Content(""))
            return
        warning = preflight_warning(user)
        name = visible(user.username)
        sub = f" · sub {visible(user.sub)}" if user.sub else ""
        if warning is None:
            line = safe_content(
                ("✓ ", "bold $text-success"),
                f"{name} can get a code: Enter puts this username into the form{sub}",
            )
        else:
            line = safe_content(("! ", "bold $text-warning"), visible(warning), sub)
        detail.update(line)

    # -- actions -------------------------------------------------------------

    @on(Input.Changed, "#lookup-value")
    def _value_changed(self, event: Input.Changed) -> None:
        if self._key_chosen or not event.value.strip():
            return
        select = self.query_one("#lookup-key", Select)
        self._guessed = guess_key(event.value).value
        if select.value != self._guessed:
            select.value = self._guessed

    @on(Select.Changed, "#lookup-key")
    def _key_changed(self, event: Select.Changed) -> None:
        # Our own guesses come back here too (a Select reports every change).
        if event.value != self._guessed:
            self._key_chosen = True

    @on(Input.Submitted, "#lookup-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_search()

    def action_search(self) -> None:
        """Validate the search and run it in a worker."""
        raw = self.query_one("#lookup-value", Input).value
        prefix = self.query_one("#lookup-prefix", Checkbox).value
        try:
            query = build_query(self._key(), raw, prefix=prefix, limit=self._limit)
        except RequestError as exc:
            self._status("; ".join(str(p) for p in exc.problems), "bold $text-error")
            return
        self._serial += 1
        serial, search = self._serial, self._search
        self.searching = True
        self._status(f"searching {self._where} for {query.describe()}…", "$text-warning")

        def run() -> None:
            try:
                result = search(query)
            except Exception as exc:  # search must not raise; a bug still gets one line
                from console.cognito import AdminFailure

                failure = AdminFailure("ListUsers", type(exc).__name__, f"lookup failed: {exc}")
                result = LookupResult(failure=failure)
            self.post_message(self.Answered(serial, query, result))

        self.run_worker(run, thread=True, group="lookup", exit_on_error=False)

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        if event.serial != self._serial:
            return  # an older search's answer
        self.searching = False
        result, query = event.result, event.query
        self._users = result.users
        table: DataTable[Text] = self.query_one("#lookup-table", DataTable)
        table.clear()
        for index, user in enumerate(result.users):
            cells = user_cells(user)
            row = [safe_cell(cell) for cell in cells]
            if not user.enabled or user.status != "UNCONFIRMED":
                row[1].stylize("bold yellow")
            table.add_row(*row, key=str(index))
        if self._on_results is not None and result.users:
            self._on_results(result.users)
        failure = result.failure
        if failure is not None and not result.users:
            self._status(failure.message, "bold $text-error")
        elif not result.users:
            self._status(f"no user with {query.describe()} in {self._where}")
        elif result.case_only:
            self._status(
                f"no user with {query.describe()}; shown: the same email in other letter "
                "case (a prefix search of it in lower case found it)",
                "$text-warning",
            )
        else:
            count = len(result.users)
            text = f"{count} user{'s' if count != 1 else ''} with {query.describe()}"
            if result.truncated:
                text += f" (the first {count}: narrow the search)"
            if failure is not None:
                text += f"; then: {failure.message}"
            self._status(text + " · Enter puts the highlighted one into the form")
            table.move_cursor(row=0)
            table.focus()
        self._show_detail()

    @on(DataTable.RowHighlighted, "#lookup-table")
    def _row_highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#lookup-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_use_user()

    def action_use_user(self) -> None:
        """Dismiss with the highlighted match: the app fills the form's username."""
        user = self._highlighted()
        if user is None:
            self.notify("no match to use: search first", severity="warning", markup=False)
            return
        self.dismiss(user)

    def action_cycle_key(self) -> None:
        """Search by the next of username, email, phone number."""
        select = self.query_one("#lookup-key", Select)
        following = _KEY_ORDER[(_KEY_ORDER.index(self._key()) + 1) % len(_KEY_ORDER)]
        self._key_chosen = True
        select.value = following.value

    def action_toggle_prefix(self) -> None:
        """Match by prefix, or the whole value."""
        self.query_one("#lookup-prefix", Checkbox).toggle()

    def action_close(self) -> None:
        """Back without choosing."""
        self.dismiss(None)
