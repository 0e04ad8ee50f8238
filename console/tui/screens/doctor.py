"""The delivery doctor for one user: why a "delivered" code may never arrive.

Every check (:mod:`console.usecases.doctor`) starts at once in a thread
worker; each result comes back as a message the moment it is ready, so the
list fills in as the checks finish: a progress bar counts them, and each
check still running has its own spinner. Blocking causes come first, then
warnings, unknowns and what passed; each shows its evidence and its remedy.
``c`` copies the highlighted check's remedy command (the first blocking one
when the list opens), ``r`` runs every check again.

Everything shown comes from the user, the pool or AWS: it goes through
:func:`console.text.visible` and :class:`~textual.content.Content`, never markup.
The operator sees the user's real address here; nothing here is logged or
written to history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from console.text import one_line, visible
from console.tui.bindings import DOCTOR_ACTIONS, ActionSpec, screen_bindings
from console.tui.styles import stylesheet
from console.tui.widgets.fitting_footer import FittingFooter
from console.tui.widgets.hanging import hanging

if TYPE_CHECKING:
    from console.cognito import CheckResult, DoctorReport

__all__ = ["CHECK_TITLES", "DoctorScreen", "check_content"]

RunDoctor = Callable[[Callable[["CheckResult"], None]], "DoctorReport"]
"""Runs every check (blocking, from a worker), calling its argument with each result."""

CHECK_TITLES: tuple[tuple[str, str], ...] = (
    ("user", "the user"),
    ("pool-sending", "the pool's sending setup"),
    ("cognito-default-budget", "the COGNITO_DEFAULT daily budget"),
    ("ses-account", "the SES account"),
    ("ses-identity", "the pool's SES identity"),
    ("ses-suppression", "the SES suppression list"),
    ("ses-recipient", "the recipient in the SES sandbox"),
    ("sns-sandbox", "the SMS sandbox"),
    ("sns-opt-out", "the SMS opt-out list"),
    ("sns-spend-limit", "the SMS spend limit"),
    ("sns-origination", "the origination identity"),
    ("delivery-logs", "Cognito's delivery error log"),
    ("recent-attempts", "recent attempts"),
)
"""The checks for one user, in the order they are listed before any has finished."""

_POSITION = {check_id: index for index, (check_id, _title) in enumerate(CHECK_TITLES)}
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_ORDER = {"blocking": 0, "warn": 1, "unknown": 2, "ok": 3}
_CLEAR = {
    "warn": "! nothing blocks delivery; see the warnings",
    "unknown": "? nothing that could be checked blocks delivery; see the unknowns",
    "ok": "✓ nothing blocks delivery",
}
_MARKS = {
    "blocking": ("✗ BLOCKING", "bold $text-error"),
    "warn": ("! warn", "bold $text-warning"),
    "unknown": ("? unknown", "bold $text-accent"),
    "ok": ("✓ ok", "$text-success"),
}


_INDENT = " " * 11
"""Where a check's text starts, after its mark ("! warn     ")."""


def check_content(check: CheckResult, width: int | None = None) -> Content:
    """One finished check: mark, id, evidence, then its remedy, permission and details.

    With *width* (the list's, in cells) each part wraps with a hanging indent:
    a "fix:" that takes three lines keeps them under its text, not under the mark.
    """
    mark, style = _MARKS.get(check.status.value, (check.status.value, ""))
    head = Content.assemble(
        (visible(check.id), "bold"), ": ", visible(one_line(check.evidence, 400))
    )
    parts = [hanging(Content.styled(f"{mark:<10} ", style), head, width)]
    for line in check.details:
        parts.append(hanging(Content(_INDENT), Content(visible(line)), width))
    if check.permission:
        prefix = Content.assemble(_INDENT, ("missing permission: ", "bold"))
        parts.append(hanging(prefix, Content(visible(check.permission)), width))
    if check.remedy and check.status.value != "ok":
        prefix = Content.assemble(_INDENT, ("fix: ", "bold"))
        parts.append(hanging(prefix, Content(visible(check.remedy)), width))
    return Content("\n").join(parts)


def _running_content(check_id: str, title: str, frame: int) -> Content:
    spinner = SPINNER[frame % len(SPINNER)]
    return Content.assemble(
        (f"{spinner} checking ", "$text-muted"),
        (visible(check_id), "bold"),
        (f": {title}…", "$text-muted"),
    )


class DoctorScreen(Screen[None]):
    """The checks for one user, filling in as they finish; blocking causes first."""

    CSS_PATH = stylesheet("doctor.tcss")
    HELP_TITLE: ClassVar[str] = "Delivery doctor"
    ACTION_SPECS: ClassVar[tuple[ActionSpec, ...]] = DOCTOR_ACTIONS
    """Also offered by the command palette while this screen is open."""
    BINDINGS: ClassVar[list[BindingType]] = list(screen_bindings(DOCTOR_ACTIONS, namespace=None))

    class CheckDone(Message):
        """One check finished (posted from the worker)."""

        def __init__(self, serial: int, result: CheckResult) -> None:
            super().__init__()
            self.serial = serial
            self.result = result

    class Done(Message):
        """Every check finished (or the run failed: *report* None, *problem* says why)."""

        def __init__(self, serial: int, report: DoctorReport | None, problem: str = "") -> None:
            super().__init__()
            self.serial = serial
            self.report = report
            self.problem = problem

    def __init__(self, *, where: str, username: str, run: RunDoctor) -> None:
        """*where* names the profile and pool (already visible-safe); *run* runs the checks."""
        super().__init__()
        self._where = where
        self._username = username
        self._run = run
        self._serial = 0
        self._frame = 0
        self.results: dict[str, CheckResult] = {}
        """The checks finished so far, by id."""
        self.report: DoctorReport | None = None
        """The whole report, once every check finished."""

    def compose(self) -> ComposeResult:
        """Who is checked, the progress, the checks, the footer."""
        heading = Content.assemble(
            ("Delivery doctor · ", "bold"), visible(self._username), " · ", self._where
        )
        yield Static(heading, id="doctor-heading", markup=False)
        yield ProgressBar(total=len(CHECK_TITLES), show_eta=False, id="doctor-progress")
        yield Static("", id="doctor-verdict", markup=False)
        yield OptionList(id="doctor-checks")
        yield FittingFooter()

    @property
    def checks(self) -> OptionList:
        """The list of checks."""
        return self.query_one("#doctor-checks", OptionList)

    @property
    def text(self) -> str:
        """Everything the list and the verdict show, as plain text (for tests)."""
        verdict = str(self.query_one("#doctor-verdict", Static).content)
        lines = [verdict] if verdict else []
        # As listed, but not wrapped: a test finds a remedy whatever the width.
        lines += [self._prompt(check_id, result).plain for check_id, result in self._ordered()]
        return "\n".join(lines)

    def _prompt(
        self, check_id: str, result: CheckResult | None, width: int | None = None
    ) -> Content:
        if result is not None:
            return check_content(result, width)
        return _running_content(check_id, dict(CHECK_TITLES).get(check_id, ""), self._frame)

    def on_mount(self) -> None:
        """Start every check, and the spinners."""
        self.checks.border_title = "Checks"
        self.checks.focus()
        self.set_interval(0.1, self._spin)
        self._start()

    def _start(self) -> None:
        self._serial += 1
        serial, run = self._serial, self._run
        self.results = {}
        self.report = None
        self.query_one("#doctor-progress", ProgressBar).update(progress=0)
        self.query_one("#doctor-verdict", Static).update(Content.styled("checking…", "$text-muted"))
        self._render_list()

        def work() -> None:
            def heard(result: CheckResult) -> None:
                self.post_message(self.CheckDone(serial, result))

            try:
                report = run(heard)
            except Exception as exc:  # run must not raise; a bug still gets one line
                self.post_message(
                    self.Done(serial, None, f"the doctor failed: {type(exc).__name__}")
                )
                return
            self.post_message(self.Done(serial, report))

        self.run_worker(work, thread=True, group="doctor", exit_on_error=False)

    def _ordered(self) -> list[tuple[str, CheckResult | None]]:
        """Finished checks by severity (blocking first), then the ones still running."""
        finished = sorted(
            self.results.values(),
            key=lambda c: (_ORDER.get(c.status.value, 9), _POSITION.get(c.id, 99)),
        )
        ordered: list[tuple[str, CheckResult | None]] = [(c.id, c) for c in finished]
        ordered += [(cid, None) for cid, _ in CHECK_TITLES if cid not in self.results]
        return ordered

    def _render_list(self) -> None:
        options = self.checks
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        width = self._prompt_width()
        items = [
            Option(self._prompt(check_id, result, width), id=check_id)
            for check_id, result in self._ordered()
        ]
        options.set_options(items)
        ids = [item.id for item in items]
        if highlighted in ids and self.report is not None:
            options.highlighted = ids.index(highlighted)
        elif items:
            options.highlighted = 0  # the first blocking cause, once there is one

    def _prompt_width(self) -> int | None:
        """The cells a check's text has in the list (room kept for its scroll bar)."""
        options = self.checks
        padding = options.get_component_styles("option-list--option").padding.width
        width = options.content_region.width - options.styles.scrollbar_size_vertical - padding
        return width if width > 0 else None

    def on_resize(self) -> None:
        """The list's width changed: wrap the checks anew."""
        self._render_list()

    def _spin(self) -> None:
        if self.report is not None or len(self.results) >= len(CHECK_TITLES):
            return
        self._frame += 1
        titles = dict(CHECK_TITLES)
        for check_id, _ in CHECK_TITLES:
            if check_id not in self.results:
                self.checks.replace_option_prompt(
                    check_id, _running_content(check_id, titles[check_id], self._frame)
                )

    @on(CheckDone)
    def _check_done(self, event: CheckDone) -> None:
        if event.serial != self._serial:
            return
        self.results[event.result.id] = event.result
        self.query_one("#doctor-progress", ProgressBar).update(progress=len(self.results))
        self._render_list()

    @on(Done)
    def _done(self, event: Done) -> None:
        if event.serial != self._serial:
            return
        verdict = self.query_one("#doctor-verdict", Static)
        if event.report is None:
            verdict.update(Content.styled(visible(event.problem), "bold $text-error"))
            return
        self.report = event.report
        for check in event.report.checks:
            self.results[check.id] = check
        self.query_one("#doctor-progress", ProgressBar).update(progress=len(CHECK_TITLES))
        blocking = len(event.report.blocking)
        if blocking:
            text = Content.styled(
                f"✗ {blocking} {'causes stop' if blocking != 1 else 'cause stops'} delivery: "
                "fix the first and press r; c copies its command",
                "bold $text-error",
            )
        else:
            text = Content.styled(_CLEAR.get(event.report.verdict.value, ""), "bold")
        verdict.update(text)
        self._render_list()

    def action_copy_remedy(self) -> None:
        """Copy the highlighted check's remedy command."""
        option = self.checks.highlighted_option
        check = self.results.get(option.id or "") if option is not None else None
        if check is None or not check.remedy or check.status.value == "ok":
            self.notify("this check has no remedy to copy", severity="warning", markup=False)
            return
        command = check.command or check.remedy
        self.app.copy_to_clipboard(command)
        self.notify(f"copied: {one_line(visible(command), 80)}", markup=False)

    def action_rerun(self) -> None:
        """Run every check again."""
        self._start()

    def action_close(self) -> None:
        """Back to the form."""
        self.dismiss(None)
