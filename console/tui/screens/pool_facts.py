"""What the pool and app client settings mean for a resend, for the active profile.

DescribeUserPool and DescribeUserPoolClient say which attributes are
auto-verified, who sends the email (COGNITO_DEFAULT: 50 a day), which
CustomMessage / CustomEmailSender / CustomSMSSender function is configured,
whether the client hides unknown users, and whether it has a secret while the
profile has none. The answer is cached per profile for the session (the
attempt log explains outcomes with it); ``r`` asks again.

The calls run in a thread worker; the answer comes back as a message. Every
line holds text from the pool (names, ARNs, server messages): shown through
:func:`console.text.visible`, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from console.cognito import PoolFacts, PoolFactsResult
from console.text import one_line, visible
from console.tui.bindings import POOL_FACTS_ACTIONS, ActionSpec, screen_bindings
from console.tui.safe_text import safe_content
from console.tui.styles import stylesheet
from console.tui.widgets.fitting_footer import FittingFooter

__all__ = ["PoolFactsScreen", "facts_content"]

LoadFacts = Callable[[bool], PoolFactsResult]
"""Returns the facts (argument: refresh); blocking, called from a worker. Must not raise."""


def _heading(facts: PoolFacts) -> Content:
    pool = visible(facts.user_pool_id)
    if facts.pool_name:
        pool += f" ({visible(facts.pool_name)})"
    client = visible(facts.client_id)
    if facts.client_name:
        client += f" ({visible(facts.client_name)})"
    fetched = datetime.fromtimestamp(facts.fetched_at).strftime("%H:%M:%S")
    return safe_content(
        ("Pool ", "bold"),
        pool,
        ("  ·  client ", "bold"),
        client,
        (f"\nasked at {fetched} · r asks again", "$text-muted"),
    )


def facts_content(profile_name: str, result: PoolFactsResult) -> Content:
    """The facts (or why there are none) as one block of safe text."""
    parts: list[Content] = [
        safe_content(("Profile ", "bold"), visible(profile_name), "\n"),
    ]
    facts = result.facts
    if facts is None:
        parts.append(Content.styled("No facts: both calls failed.\n", "bold $text-error"))
        for failure in result.failures:
            # Said once, below, not once per failed call.
            message = one_line(failure.message)
            for said in (
                " (resending still works without it)",
                " (resending still works without them)",
            ):
                message = message.replace(said, "")
            parts.append(safe_content(("✗ ", "bold $text-error"), message))
            parts.append(Content("\n"))
        parts.append(Content.styled("\nResending still works without them.", "$text-muted"))
        return Content("").join(parts)
    parts += [_heading(facts), Content("\n\n")]
    warnings = facts.warnings()
    if warnings:
        parts.append(Content.styled("Warnings\n", "bold $text-warning"))
        for line in warnings:
            parts.append(safe_content(("! ", "bold $text-warning"), visible(line), "\n"))
        parts.append(Content("\n"))
    parts.append(Content.styled("Facts\n", "bold"))
    for line in facts.summary():
        mark = ("? ", "bold $text-error") if line.startswith("unknown:") else ("· ", "")
        parts.append(safe_content(mark, visible(line), "\n"))
    return Content("").join(parts)


class PoolFactsScreen(Screen[None]):
    """The active profile's pool facts; ``r`` refreshes them (and the cache the log uses)."""

    CSS_PATH = stylesheet("pool_facts.tcss")
    HELP_TITLE: ClassVar[str] = "Pool facts"
    ACTION_SPECS: ClassVar[tuple[ActionSpec, ...]] = POOL_FACTS_ACTIONS
    """Also offered by the command palette while this screen is open."""
    BINDINGS: ClassVar[list[BindingType]] = list(
        screen_bindings(POOL_FACTS_ACTIONS, namespace=None)
    )

    class Loaded(Message):
        """The facts arrived from the worker."""

        def __init__(self, serial: int, result: PoolFactsResult) -> None:
            super().__init__()
            self.serial = serial
            self.result = result

    def __init__(self, profile_name: str, load: LoadFacts) -> None:
        """*load(refresh)* returns the facts (from the app's cache unless refresh)."""
        super().__init__()
        self._profile_name = profile_name
        self._load = load
        self._serial = 0
        self.result: PoolFactsResult | None = None
        """The facts shown (None while loading)."""

    @property
    def text(self) -> str:
        """Everything shown, as plain text (for tests)."""
        return str(self.query_one("#pool-facts-text", Static).content)

    def compose(self) -> ComposeResult:
        """A scrollable block of facts, and the footer."""
        with VerticalScroll(id="pool-facts-body") as body:
            body.border_title = "Pool facts"
            yield Static(Content("Asking the pool…"), id="pool-facts-text", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Show the cached facts, or ask for them."""
        self.query_one("#pool-facts-body", VerticalScroll).focus()
        self._ask(refresh=False)

    def _ask(self, *, refresh: bool) -> None:
        self._serial += 1
        serial, load = self._serial, self._load

        def run() -> None:
            try:
                result = load(refresh)
            except Exception as exc:  # load must not raise; a bug still gets one line
                from console.cognito import AdminFailure

                failure = AdminFailure(
                    "DescribeUserPool", type(exc).__name__, f"pool facts failed: {exc}"
                )
                result = PoolFactsResult(None, (failure,))
            self.post_message(self.Loaded(serial, result))

        self.run_worker(run, thread=True, group="pool-facts", exit_on_error=False)

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.serial != self._serial:
            return
        self.result = event.result
        text = self.query_one("#pool-facts-text", Static)
        text.update(facts_content(self._profile_name, event.result))

    def action_refresh(self) -> None:
        """Ask DescribeUserPool and DescribeUserPoolClient again."""
        self.result = None
        self.query_one("#pool-facts-text", Static).update(Content("Asking the pool again…"))
        self._ask(refresh=True)

    def action_close(self) -> None:
        """Back to the form."""
        self.dismiss(None)
