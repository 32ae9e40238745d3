/**
 * @module
 * The example app's single page: a send form, the live event list, simulate buttons.
 * Plain HTML and a little JS; no build step.
 */

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

export function renderPage({ esp, samples }: { esp: string; samples: string[] }): string {
  const buttons = samples
    .map(
      (id) =>
        `<button type="button" class="simulate" data-sample="${escape(id)}">${escape(id)}</button>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>anymail example</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  form { display: grid; grid-template-columns: 8rem 1fr; gap: .4rem; }
  form button { grid-column: 2; justify-self: start; }
  pre { background: #f4f4f4; padding: .5rem; overflow: auto; }
  #events li { margin: .3rem 0; }
  .error { color: #a00; }
</style>
</head>
<body>
<h1>anymail example</h1>
<p>Sending through <strong id="esp">${escape(esp)}</strong>. Webhooks are served at <code>/anymail/&lt;esp&gt;/tracking/</code> and <code>/anymail/&lt;esp&gt;/inbound/</code>.</p>

<h2>Send a message</h2>
<form id="send-form">
  <label for="to">To</label><input id="to" name="to" value="Someone <someone@example.com>" required>
  <label for="subject">Subject</label><input id="subject" name="subject" value="Hello from anymail">
  <label for="text">Text</label><textarea id="text" name="text">It works!</textarea>
  <label for="html">HTML</label><textarea id="html" name="html"><p>It <b>works</b>!</p></textarea>
  <label for="tags">Tags</label><input id="tags" name="tags" placeholder="comma,separated">
  <label for="metadata">Metadata</label><input id="metadata" name="metadata" placeholder='{"user_id": "42"}'>
  <label for="attachment">Attachment</label><input id="attachment" name="attachment" type="file">
  <button type="submit">Send</button>
</form>
<pre id="send-result" aria-live="polite"></pre>

<h2>Simulate a webhook</h2>
<p>Posts a realistic sample of each ESP's webhook, signed where the ESP signs, to this app.</p>
<div id="simulate">${buttons}</div>
<pre id="simulate-result"></pre>

<h2>Events received</h2>
<ul id="events"></ul>

<script>
const show = (el, value) => { el.textContent = JSON.stringify(value, null, 2); };
document.getElementById("send-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = document.getElementById("send-result");
  out.textContent = "sending…";
  const answer = await fetch("/send", { method: "POST", body: new FormData(e.target) });
  const result = await answer.json();
  out.className = result.ok ? "" : "error";
  show(out, result.ok ? result.status : result.error);
});
for (const button of document.querySelectorAll(".simulate")) {
  button.addEventListener("click", async () => {
    const answer = await fetch("/simulate/" + encodeURIComponent(button.dataset.sample), { method: "POST" });
    show(document.getElementById("simulate-result"), await answer.json());
  });
}
const list = document.getElementById("events");
new EventSource("/events").onmessage = (message) => {
  const stored = JSON.parse(message.data);
  const item = document.createElement("li");
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = stored.espName + " " + stored.channel + ": " + stored.event.eventType +
    (stored.event.recipient ? " " + stored.event.recipient : "") + (stored.event.subject ? " " + stored.event.subject : "");
  summary.className = "event-summary";
  details.append(summary);
  const fields = document.createElement("pre");
  show(fields, stored.event);
  const raw = document.createElement("pre");
  show(raw, stored.espEvent);
  details.append("Normalized:", fields, "espEvent:", raw);
  for (const a of stored.attachments) {
    const link = document.createElement("a");
    link.href = "/attachments/" + stored.id + "/" + a.index;
    link.textContent = "attachment " + a.index + " (" + a.size + " bytes)";
    link.title = a.filename || "";
    details.append(link, " ");
  }
  item.append(details);
  list.prepend(item);
};
</script>
</body>
</html>`;
}
