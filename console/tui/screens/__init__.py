"""Screens of the console: ``main`` (with its send flow and its way to the helpdesk
screens), the lookup, pool facts and batch screens, history (and its export), outbox,
help and the resend confirmation."""
