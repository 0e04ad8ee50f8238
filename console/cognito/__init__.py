"""The domain: requests, the gateway, outcomes and the error catalogue (no Textual here)."""
