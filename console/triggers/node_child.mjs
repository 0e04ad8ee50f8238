// The program a Node.js handler's child process runs: Lambda's Node.js runtime for one call.
//
// Reads the invocation (JSON on stdin), imports the handler file (ESM or
// CommonJS; .js follows the nearest package.json "type"), calls the export
// async-style or callback-style, and writes the answer, or Lambda's error
// payload, to the result file. console.* lines carry Lambda's prefix
// (time, request id, level). Started with the handler's folder as cwd.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const job = JSON.parse(readFileSync(0, "utf8"));
const requestId = job.context.aws_request_id;
let finished = false;

function logLine(stream, level) {
  return (...args) => {
    stream.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${format(...args)}\n`);
  };
}
console.log = logLine(process.stdout, "INFO");
console.info = logLine(process.stdout, "INFO");
console.debug = logLine(process.stdout, "DEBUG");
console.trace = logLine(process.stdout, "TRACE");
console.warn = logLine(process.stderr, "WARN");
console.error = logLine(process.stderr, "ERROR");

function finish(payload) {
  if (finished) return;
  finished = true;
  writeFileSync(job.result_path, payload);
  process.exitCode = 0;
  // Lambda freezes the sandbox once the answer is sent; here the child ends.
  process.stdout.write("", () => process.stderr.write("", () => process.exit(0)));
}

function errorPayload(error, forcedType) {
  const isError = error instanceof Error;
  const errorType = forcedType || (isError ? error.name || "Error" : typeof error);
  const errorMessage = isError ? error.message : String(error);
  const trace =
    isError && typeof error.stack === "string"
      ? error.stack.split("\n").filter((line) => !line.includes(import.meta.url))
      : [];
  return { errorType, errorMessage, trace };
}

function fail(error, forcedType) {
  const payload = errorPayload(error, forcedType);
  process.stderr.write(
    `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(payload)}\n`,
  );
  finish(JSON.stringify(payload));
}

function succeed(value) {
  let text;
  try {
    text = JSON.stringify({ result: value === undefined ? null : value });
  } catch (error) {
    fail(new Error(`Unable to stringify response body: ${error.message}`), "Runtime.MarshalError");
    return;
  }
  finish(text);
}

process.on("uncaughtException", (error) => fail(error));
process.on("unhandledRejection", (reason) => fail(reason, "Runtime.UnhandledPromiseRejection"));
// A handler that never answers and leaves nothing to do: Lambda answers null.
process.on("beforeExit", () => succeed(null));

const deadline = job.deadline_epoch_ms;
const context = {
  functionName: job.context.function_name,
  functionVersion: job.context.function_version,
  invokedFunctionArn: job.context.invoked_function_arn,
  memoryLimitInMB: job.context.memory_limit_in_mb,
  awsRequestId: requestId,
  logGroupName: job.context.log_group_name,
  logStreamName: job.context.log_stream_name,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - Date.now())),
  succeed: (value) => succeed(value),
  fail: (error) => fail(error),
  done: (error, value) => (error ? fail(error) : succeed(value)),
};

let module;
try {
  module = await import(pathToFileURL(job.file).href);
} catch (error) {
  const type = error instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError";
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  fail(new Error(message), type);
}
if (!finished) {
  const handler = module[job.export] ?? module.default?.[job.export];
  if (typeof handler !== "function") {
    fail(new Error(`${job.module}.${job.export} is undefined or not exported`), "Runtime.HandlerNotFound");
  } else if (job.check) {
    finish(JSON.stringify({ result: null }));
  } else {
    try {
      const returned = handler(job.event, context, (error, value) =>
        error ? fail(error) : succeed(value),
      );
      if (returned && typeof returned.then === "function") {
        returned.then(succeed, (error) => fail(error));
      }
    } catch (error) {
      fail(error);
    }
  }
}
