"""cognito-console: a keyboard-driven terminal console for Amazon Cognito user pools."""

__version__ = "0.1.0"
