// The sign-up journey against the sandbox, with the browser SDK an app would use.
//
// Everything shown comes from the server or the user: it is written with
// textContent, never as HTML. With ?auto=1 the page runs the whole journey
// by itself (sign up, resend, a wrong code, the right code) and sets
// #result to "confirmed" or to the step that failed: tests drive it in
// headless Chromium.
"use strict";

const params = new URLSearchParams(window.location.search);
const $ = (id) => document.getElementById(id);
const log = (line) => {
  $("log").textContent += `${line}\n`;
};

function field(id, fallback) {
  const input = $(id);
  input.value = params.get(id) ?? fallback;
  return input;
}

field("endpoint", "http://127.0.0.1:9229");
field("username", `web-${Date.now().toString(36)}`);
field("email", "web.user@example.org");
field("password", "Passw0rd!Passw0rd");

function endpoint() {
  return $("endpoint").value.replace(/\/+$/, "");
}

let pool = null;

async function loadPool() {
  const answer = await fetch(`${endpoint()}/_sandbox/info`);
  if (!answer.ok) {
    throw new Error(`/_sandbox/info answered HTTP ${answer.status}`);
  }
  const info = await answer.json();
  const client = info.clients.find((c) => c.name === "public");
  $("pool-id").value = info.user_pool_id;
  $("client-id").value = client.client_id;
  pool = new AmazonCognitoIdentity.CognitoUserPool({
    UserPoolId: info.user_pool_id,
    ClientId: client.client_id,
    // The SDK's own option: every call goes to the sandbox, not to AWS.
    endpoint: `${endpoint()}/`,
  });
  log(`pool ${info.user_pool_id}, public client ${client.client_id}`);
}

function user() {
  return new AmazonCognitoIdentity.CognitoUser({ Username: $("username").value, Pool: pool });
}

// The SDK's callbacks, as promises: errors keep Cognito's code and message.
function call(step, start) {
  return new Promise((resolve, reject) => {
    start((error, result) => {
      if (error) {
        log(`${step}: ${error.code || error.name}: ${error.message}`);
        reject(Object.assign(error, { step }));
      } else {
        resolve(result);
      }
    });
  });
}

function describe(details) {
  return details
    ? `${details.DeliveryMedium} to ${details.Destination} (${details.AttributeName})`
    : "no delivery details";
}

async function signUp() {
  const email = new AmazonCognitoIdentity.CognitoUserAttribute({
    Name: "email",
    Value: $("email").value,
  });
  const result = await call("sign up", (done) =>
    pool.signUp($("username").value, $("password").value, [email], null, done),
  );
  log(`sign up: confirmed=${result.userConfirmed}, code sent by ${describe(result.codeDeliveryDetails)}`);
}

async function resend() {
  const result = await call("resend", (done) => user().resendConfirmationCode(done));
  log(`resend: code sent by ${describe(result.CodeDeliveryDetails)}`);
}

async function readCode() {
  const answer = await fetch(`${endpoint()}/_sandbox/outbox`);
  const { deliveries } = await answer.json();
  const mine = deliveries.filter((d) => d.user === $("username").value);
  if (mine.length === 0) {
    throw Object.assign(new Error("no code in the outbox for this user"), { step: "read code" });
  }
  const code = mine[mine.length - 1].code;
  $("code").value = code;
  log(`outbox: ${mine.length} message(s) for this user, the newest code is ${code}`);
  return code;
}

async function confirm(code) {
  const result = await call("confirm", (done) => user().confirmRegistration(code, true, done));
  log(`confirm: ${result}`);
}

async function journey() {
  await loadPool();
  await signUp();
  await resend();
  const code = await readCode();
  // A wrong code first: the browser must see Cognito's error, not a network error.
  const wrong = `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
  try {
    await confirm(wrong);
    throw Object.assign(new Error("a wrong code was accepted"), { step: "wrong code" });
  } catch (error) {
    if (error.code !== "CodeMismatchException") {
      throw error;
    }
  }
  await confirm(code);
}

function button(id, action) {
  $(id).addEventListener("click", async () => {
    try {
      if (pool === null) {
        await loadPool();
      }
      await action();
    } catch (error) {
      log(`${error.step || id}: ${error.message}`);
    }
  });
}

button("sign-up", signUp);
button("resend", resend);
button("read-code", readCode);
button("confirm", () => confirm($("code").value));

if (params.get("auto") === "1") {
  $("result").textContent = "running";
  journey().then(
    () => {
      $("result").textContent = "confirmed";
    },
    (error) => {
      $("result").textContent = `failed at ${error.step || "start"}: ${error.code || error.name}: ${error.message}`;
    },
  );
} else {
  loadPool().catch((error) => log(`sandbox: ${error.message}`));
}
