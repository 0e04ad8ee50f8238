"""A test CustomMessage trigger in Python; behaviour from clientMetadata["mode"] (default "ok").

Every call dumps what it saw to $DUMP_DIR/<userName>.json for the tests to read.
"""

import json
import logging
import os
import sys
import time
from pathlib import Path

from helpers import greeting

logger = logging.getLogger(__name__)

ENV_KEYS = [
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_LAMBDA_FUNCTION_NAME",
    "_HANDLER",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "LAMBDA_TASK_ROOT",
    "TZ",
    "APP_BRAND",
    "VIRTUAL_ENV",
    "AWS_ACCESS_KEY_ID",
]


def _dump(event, context):
    folder = os.environ.get("DUMP_DIR")
    if not folder:
        return
    Path(folder, event["userName"] + ".json").write_text(
        json.dumps(
            {
                "event": event,
                "env": {key: os.environ.get(key) for key in ENV_KEYS},
                "cwd": os.getcwd(),
                "runtime": "python",
                "pid": os.getpid(),
                "executable": sys.executable,
                "functionName": context.function_name,
                "remaining": context.get_remaining_time_in_millis(),
            }
        )
    )


def handler(event, context):
    _dump(event, context)
    mode = event["request"].get("clientMetadata", {}).get("mode", "ok")
    response = event["response"]
    code = event["request"]["codeParameter"]
    print(f"mode {mode} for {event['triggerSource']}")
    logger.warning("warning from the handler")
    if mode == "ok":
        response["emailSubject"] = f"{greeting()} {event['userName']}"
        response["emailMessage"] = f"{greeting()} {event['userName']}, your code is {code}."
        response["smsMessage"] = f"{greeting()}: {code}"
        if event["request"]["usernameParameter"]:
            response["emailMessage"] += " User: " + event["request"]["usernameParameter"]
            response["smsMessage"] += " " + event["request"]["usernameParameter"]
    elif mode == "raise":
        raise ValueError("no template for this locale")
    elif mode == "slow":
        time.sleep(60)
    elif mode == "nothing":
        return None
    elif mode == "nonjson":
        response["emailMessage"] = {1, 2}
    elif mode == "reads-metadata":
        response["emailMessage"] = "lang " + event["request"]["clientMetadata"]["lang"] + " {####}"
    return event
