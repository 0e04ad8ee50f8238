"""An example CustomMessage Lambda trigger: localized codes with a campaign link.

Deploy it as the user pool's CustomMessage trigger, or try it offline:

    cognito-console sandbox --custom-message-trigger examples/custom_message_trigger.py:handler

then resend with ClientMetadata such as ``lang=fr`` and ``campaign=spring``.
Cognito passes ClientMetadata only to the trigger (it is not stored), so this
is where an app chooses the language and the tracking of a resent code.

Rules Cognito enforces on the answer: every message keeps the code
placeholder (``event["request"]["codeParameter"]``, ``{####}``), an email body
stays within 20,000 characters, an SMS and an email subject within 140. A
``None`` message means "use the pool's default".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

APP_URL = "https://app.example.com/confirm"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "subject": "Your new verification code",
        "greeting": "Hello {name},",
        "body": "Here is your new verification code: {code}",
        "link": "Or confirm in one click:",
        "sms": "Your {app} code is {code}",
    },
    "fr": {
        "subject": "Votre nouveau code de vérification",
        "greeting": "Bonjour {name},",
        "body": "Voici votre nouveau code de vérification : {code}",
        "link": "Ou confirmez en un clic :",
        "sms": "Votre code {app} est {code}",
    },
    "de": {
        "subject": "Ihr neuer Bestätigungscode",
        "greeting": "Hallo {name},",
        "body": "Hier ist Ihr neuer Bestätigungscode: {code}",
        "link": "Oder mit einem Klick bestätigen:",
        "sms": "Ihr {app}-Code lautet {code}",
    },
    "es": {
        "subject": "Tu nuevo código de verificación",
        "greeting": "Hola {name}:",
        "body": "Este es tu nuevo código de verificación: {code}",
        "link": "O confirma con un clic:",
        "sms": "Tu código de {app} es {code}",
    },
}
HANDLED = {"CustomMessage_SignUp", "CustomMessage_ResendCode"}
APP_NAME = "ExampleApp"
SMS_LIMIT = 140


def _language(metadata: dict[str, str], attributes: dict[str, str]) -> str:
    """ClientMetadata's ``lang`` first, then the user's ``locale``, else English."""
    for candidate in (metadata.get("lang"), attributes.get("locale")):
        if candidate:
            short = candidate.lower().replace("_", "-").split("-")[0]
            if short in MESSAGES:
                return short
    return "en"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Fill ``event["response"]`` for sign-up and resent codes; leave other sources alone."""
    if event.get("triggerSource") not in HANDLED:
        return event
    request = event["request"]
    metadata: dict[str, str] = request.get("clientMetadata") or {}
    attributes: dict[str, str] = request.get("userAttributes") or {}
    code = request["codeParameter"]
    texts = MESSAGES[_language(metadata, attributes)]
    name = attributes.get("given_name") or attributes.get("name") or event["userName"]

    link = f"{APP_URL}?user={quote(event['userName'])}&code={code}"
    campaign = metadata.get("campaign")
    if campaign:
        link += f"&utm_source=cognito&utm_medium=email&utm_campaign={quote(campaign)}"

    event["response"]["emailSubject"] = texts["subject"]
    event["response"]["emailMessage"] = "\n".join(
        [
            texts["greeting"].format(name=name),
            "",
            texts["body"].format(code=code),
            "",
            texts["link"],
            link,
        ]
    )
    sms = texts["sms"].format(app=APP_NAME, code=code)
    # Never exceed the SMS limit: fall back to the pool's default message instead.
    event["response"]["smsMessage"] = sms if len(sms) <= SMS_LIMIT else None
    return event
