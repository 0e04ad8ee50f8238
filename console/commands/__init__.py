"""One module per CLI subcommand: each adds its parser and runs it.

Modules here import only the standard library at import time; the domain,
boto3 and the sandbox are imported inside the functions that need them, so
`cognito-console --help` and the one-shot resend stay fast.
"""
