// A test CustomMessage trigger in Node.js (ES module, async handler).
// The behaviour comes from clientMetadata.mode (default "ok"); every call
// dumps what it saw to $DUMP_DIR/<userName>.json for the tests to read.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { greeting } from "./lib/greeting.mjs";

const ENV_KEYS = [
  "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME", "_HANDLER", "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_GROUP_NAME",
  "LAMBDA_TASK_ROOT", "TZ", "APP_BRAND", "VIRTUAL_ENV", "AWS_ACCESS_KEY_ID",
];

function dump(event, context) {
  if (!process.env.DUMP_DIR) return;
  const env = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k] ?? null]));
  writeFileSync(
    join(process.env.DUMP_DIR, `${event.userName}.json`),
    JSON.stringify({
      event, env, cwd: process.cwd(), runtime: "node", pid: process.pid,
      functionName: context.functionName, remaining: context.getRemainingTimeInMillis(),
    }),
  );
}

export const handler = async (event, context) => {
  dump(event, context);
  const mode = event.request.clientMetadata?.mode ?? "ok";
  const r = event.response;
  const code = event.request.codeParameter;
  console.log("mode %s for %s", mode, event.triggerSource);
  switch (mode) {
    case "ok":
      r.emailSubject = `${greeting()} ${event.userName}`;
      r.emailMessage = `<p>${greeting()} ${event.userName}, your code is ${code}.</p>` +
        (event.request.usernameParameter ? ` User: ${event.request.usernameParameter}` : "");
      r.smsMessage = `${greeting()}: ${code}` +
        (event.request.usernameParameter ? ` ${event.request.usernameParameter}` : "");
      return event;
    case "raise":
      console.error("about to fail");
      throw new Error("template missing for locale");
    case "slow":
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      return event;
    case "hang":
      for (;;) { /* a stuck handler */ }
    case "nocode":
      r.emailMessage = "Welcome! No code here.";
      r.smsMessage = "No code here.";
      return event;
    case "email-only-bad":
      r.emailMessage = "an email without the code";
      r.smsMessage = `SMS with ${code}`;
      return event;
    case "longsms":
      r.smsMessage = `${code} ${"x".repeat(140)}`;
      return event;
    case "longemail":
      r.emailMessage = `${code} ${"x".repeat(20000)}`;
      return event;
    case "nbsp":
      r.emailMessage = `Your code:\u00a0${code}`;
      return event;
    case "nothing":
      return undefined;
    case "noresponse":
      return { version: "1" };
    case "spam":
      for (let i = 0; i < 20000; i++) console.log("line %d of a handler that prints too much", i);
      r.emailMessage = `spam done ${code}`;
      return event;
    case "exit":
      process.exit(3);
    default:
      return event;
  }
};
