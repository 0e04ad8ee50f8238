// A test CustomMessage trigger in Node.js: CommonJS, callback style (no package.json: .js is CJS).
exports.handler = function (event, context, callback) {
  const metadata = event.request.clientMetadata || {};
  if (metadata.mode === "raise") {
    callback(new TypeError("callback said no"));
    return;
  }
  setTimeout(() => {
    event.response.smsMessage = `Callback code ${event.request.codeParameter}`;
    event.response.emailMessage = `Callback code ${event.request.codeParameter}`;
    event.response.emailSubject = "Callback subject";
    callback(null, event);
  }, 10);
};
