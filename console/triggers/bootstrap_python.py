"""The program a Python handler's child process runs (``python3 -c BOOTSTRAP``).

It plays the Lambda Python runtime for one call: reads the invocation (JSON
on stdin), imports the handler's module by name from its folder (the working
directory, first on ``sys.path``, as ``/var/task`` is), gives ``logging``
Lambda's handler and format (the root logger stays at WARNING unless
``AWS_LAMBDA_LOG_LEVEL`` says otherwise, as in Lambda), calls the function and
writes the answer, or Lambda's error payload, to the result file. A failure
is also logged as Lambda logs it (``[ERROR] Type: message`` and the traceback).

Run with ``-c``, not as a file: a script's own folder (ours) would be on the
handler's import path.
"""

from __future__ import annotations

__all__ = ["BOOTSTRAP"]

BOOTSTRAP = r"""
import json, logging, os, sys, time, traceback, importlib

def _main():
    job = json.loads(sys.stdin.read())
    sys.stdin = open(os.devnull)
    ctx_info = job["context"]
    request_id = ctx_info["aws_request_id"]
    deadline = job["deadline_epoch_ms"]

    class LambdaContext:
        function_name = ctx_info["function_name"]
        function_version = ctx_info["function_version"]
        invoked_function_arn = ctx_info["invoked_function_arn"]
        memory_limit_in_mb = ctx_info["memory_limit_in_mb"]
        aws_request_id = request_id
        log_group_name = ctx_info["log_group_name"]
        log_stream_name = ctx_info["log_stream_name"]
        identity = None
        client_context = None
        def get_remaining_time_in_millis(self):
            return max(0, int(deadline - time.time() * 1000))

    class RequestIdFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = request_id
            return True

    handler = logging.StreamHandler(sys.stderr)
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
        "%Y-%m-%dT%H:%M:%S",
    )
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level in ("DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "TRACE", "FATAL"):
        root.setLevel({"WARN": "WARNING", "TRACE": "DEBUG", "FATAL": "CRITICAL"}.get(level, level))

    def finish(payload):
        with open(job["result_path"], "w", encoding="utf-8") as out:
            out.write(payload)

    def frames(exc):
        # The user's frames only: the first one is this bootstrap's.
        return traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:])

    def fail(error_type, message, stack):
        sys.stdout.flush()
        trace = "Traceback (most recent call last):\n" + "".join(stack) if stack else ""
        sys.stderr.write("[ERROR] %s: %s\n%s" % (error_type, message, trace))
        sys.stderr.flush()
        finish(json.dumps({"errorMessage": message, "errorType": error_type,
                           "requestId": request_id, "stackTrace": stack}))

    module_name = job["module"]
    sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        fail("Runtime.UserCodeSyntaxError",
             "Syntax error in module '%s': %s" % (module_name, exc),
             [])
        return
    except Exception as exc:
        fail("Runtime.ImportModuleError",
             "Unable to import module '%s': %s" % (module_name, exc),
             frames(exc))
        return
    function = getattr(module, job["export"], None)
    if not callable(function):
        fail("Runtime.HandlerNotFound",
             "Handler '%s' missing on module '%s'" % (job["export"], module_name), [])
        return
    if job.get("check"):
        finish(json.dumps({"result": None}))
        return
    try:
        value = function(job["event"], LambdaContext())
    except Exception as exc:
        fail(type(exc).__name__, str(exc), frames(exc))
        return
    try:
        payload = json.dumps({"result": value})
    except (TypeError, ValueError) as exc:
        fail("Runtime.MarshalError", "Unable to marshal response: %s" % exc, [])
        return
    sys.stdout.flush()
    sys.stderr.flush()
    finish(payload)

_main()
"""
"""The child's program, run with ``-c`` in the handler's folder."""
