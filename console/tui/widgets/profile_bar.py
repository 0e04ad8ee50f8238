"""The profile bar: which pool and client a send goes to, whether it can go yet, and
with a ``[team]`` table, how the team's uploads stand ("team: 3 waiting")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Select, Static

from console.text import one_line, visible
from console.tui.first_frame import facts_line

if TYPE_CHECKING:
    from console.config import Profile
    from console.tui.first_frame import ProfileHint

__all__ = ["ProfileBar", "profile_facts"]

StatusKind = Literal["busy", "ready", "error"]

SELECT_PROMPT = "profile"
_SELECT_WIDTH = 28  # as styles/main.tcss sets #profile-select


def profile_facts(profile: Profile) -> str:
    """Region, pool, client, endpoint (when not AWS) and where the secret comes from.

    The secret itself is never part of it: only its source (none, env:NAME,
    command or inline).
    """
    return visible(
        facts_line(
            profile.region,
            profile.user_pool_id,
            profile.client_id,
            profile.endpoint_url or "",
            secret=profile.secret_source() or "none",
        )
    )


def _facts(name: str, description: str | None, facts: str) -> Content:
    """The name in bold, the description muted, and the *facts* (made visible by the caller)."""
    head = Content.styled(visible(name), "bold")
    if description:
        head = Content.assemble(head, "  ", (one_line(description, 80), "$text-muted"))
    return Content.assemble(head, "\n", facts)


def _stand_in(active: str | None) -> Content:
    """What the compact Select looks like, *active* chosen (the prompt without one):
    the text, then the arrow in the next-to-last cell."""
    label = SELECT_PROMPT if active is None else one_line(active, _SELECT_WIDTH - 3)
    return Content(label.ljust(_SELECT_WIDTH - 2) + "▼ ")


class ProfileBar(Horizontal):
    """A profile Select, the active profile's facts, and a readiness status."""

    def __init__(
        self,
        *,
        select_later: bool = False,
        hint: ProfileHint | None = None,
        id: str | None = None,
    ) -> None:
        """With *select_later*, the first frame shows what the empty Select looks like,
        and :meth:`mount_select` puts the Select itself there. *hint*: the profile the
        raw TOML names, shown from the first frame until :meth:`show_profile`."""
        super().__init__(id=id)
        self._select_later = select_later
        self._hint = hint
        self._offered: tuple[Sequence[str], str | None] | None = None
        """What :meth:`set_profiles` was given before the Select was there."""
        self._resting: tuple[str, StatusKind] = ("", "busy")
        self._in_flight: str | None = None
        self._team: tuple[str, StatusKind] | None = None
        self._shown = ""

    def compose(self) -> ComposeResult:
        """The Select, the facts and the status."""
        if self._select_later:
            # A Select builds an overlay and an option list: ~5% of the first
            # frame, for a list that is empty until the config is loaded.
            # Compact and empty, it is the prompt, the arrow in the next-to-last cell.
            yield Static(_stand_in(None), id="profile-select-placeholder", markup=False)
        else:
            yield self._new_select()
        # The status before the facts: docked right on a wide screen, beside the
        # select above the facts on a narrow one (styles/main.tcss).
        yield Static(Content(""), id="profile-status", markup=False)
        hint = self._hint
        facts = (
            Content("")
            if hint is None
            else _facts(hint.name, hint.description, visible(hint.facts()))
        )
        yield Static(facts, id="profile-facts", markup=False)

    def _new_select(self) -> Select[str]:
        """The Select, offering what :meth:`set_profiles` was given meanwhile, if anything."""
        names, active = self._offered or ((), None)
        chosen = active is not None and active in names
        return Select[str](
            # Text, not str: a Select parses str prompts as markup.
            [(Text(name), name) for name in names],
            prompt=SELECT_PROMPT,
            allow_blank=not chosen,
            value=active if chosen and active is not None else Select.NULL,
            id="profile-select",
            compact=True,
        )

    async def mount_select(self) -> None:
        """Replace the first frame's stand-in with the Select (a no-op if it is there)."""
        if not self._select_later:
            return
        self._select_later = False
        placeholder = self.query_one("#profile-select-placeholder", Static)
        await self.mount(self._new_select(), before=placeholder)
        await placeholder.remove()
        self._offered = None

    @property
    def select(self) -> Select[str]:
        """The profile chooser."""
        return self.query_one("#profile-select", Select)

    def set_profiles(self, names: Sequence[str], active: str | None) -> None:
        """Offer *names* and show *active* as chosen, without reporting a change.

        With an active profile the list has no blank entry: choosing it left the
        bar reading "profile" while sends still went to the active profile.
        Before :meth:`mount_select`, the stand-in shows *active* and the Select
        is made with both.
        """
        if self._select_later:
            self._offered = (list(names), active)
            stand_in = self.query_one("#profile-select-placeholder", Static)
            stand_in.update(_stand_in(active if active in names else None))
            return
        select = self.select
        chosen = active is not None and active in names
        with select.prevent(Select.Changed):
            # Textual's Select reads _allow_blank when options are set; it has
            # no public way to change it after construction.
            select._allow_blank = not chosen
            # Text, not str: a Select parses str prompts as markup.
            select.set_options([(Text(name), name) for name in names])
            if chosen and active is not None:
                select.value = active
            else:
                select.clear()

    def show_profile(self, name: str | None, profile: Profile | None) -> None:
        """Show the active profile's facts (or a placeholder while there is none)."""
        facts = self.query_one("#profile-facts", Static)
        if name is None or profile is None:
            facts.update(Content("no profile yet"))
            return
        facts.update(_facts(name, profile.description, profile_facts(profile)))

    def set_status(self, text: str, kind: StatusKind) -> None:
        """Readiness: "starting sandbox…", "connecting…", "ready", or a failure.

        While a call is in flight (:meth:`set_in_flight`) that is shown instead;
        this readiness comes back when it ends.
        """
        self._resting = (text, kind)
        if self._in_flight is None:
            self._show_status(text, kind)

    def set_in_flight(self, text: str | None) -> None:
        """A call is in flight (*text* says which), or none is any more (None)."""
        self._in_flight = text
        if text is None:
            self._show_status(*self._resting)
        else:
            self._show_status(text, "busy")

    def set_team(self, text: str | None, kind: StatusKind = "busy") -> None:
        """The team uploads' status after the readiness (None: no team part at all)."""
        self._team = None if text is None else (text, kind)
        self.set_class(text is not None, "-team")
        if self._in_flight is None:
            self._show_status(*self._resting)
        else:
            self._show_status(self._in_flight, "busy")

    def _show_status(self, text: str, kind: StatusKind) -> None:
        status = self.query_one("#profile-status", Static)
        self._shown = visible(text)
        shown = Content(self._shown)
        if self._team is not None:
            team, team_kind = self._team
            colour = {"busy": "$text-warning", "ready": "$text-success", "error": "$text-error"}
            shown = Content.assemble(shown, " · ", (visible(team), colour[team_kind]))
        status.update(shown)
        for each in ("busy", "ready", "error"):
            status.set_class(each == kind, f"-{each}")

    @property
    def status_text(self) -> str:
        """The readiness as shown, without the team part (for tests and the help screen)."""
        return self._shown

    @property
    def team_text(self) -> str | None:
        """The team part as shown, if any."""
        return self._team[0] if self._team is not None else None
