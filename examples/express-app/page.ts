/**
 * @module
 * The example app's page: events (live), a send form with its result, simulate buttons and
 * the webhook URLs. Server-side markup goes through `html` only; public/client.js does the rest.
 */
import { html } from "./html.js";
import { samplePath, type Sample } from "./samples.js";

export interface PageData {
  /** The sending ESP's name. */
  esp: string;
  /** The router's public URL, "http://localhost:3000/anymail". */
  webhookBase: string;
  maskedSecret: string;
  esps: { name: string; label: string; paths: string[]; check: string }[];
  samples: Sample[];
}

export function renderPage(data: PageData): string {
  const maskedBase = data.webhookBase.replace("://", `://${data.maskedSecret}@`);
  const groups = data.esps.map(
    (esp) =>
      html`<div class="sim-group" role="group" aria-label="${esp.label} samples">
        <span class="sim-esp" aria-hidden="true">${esp.label}</span>
        ${data.samples
          .filter((s) => s.esp === esp.name)
          .map(
            (s) =>
              html`<button
                type="button"
                class="simulate"
                data-sample="${s.id}"
                aria-label="Simulate ${esp.label} ${s.label} (${samplePath(s)})"
              >
                ${s.label}
              </button>`,
          )}
      </div>`,
  );
  const healthRows = data.esps.map(
    (esp) =>
      html`<tr>
        <th scope="row">${esp.label}</th>
        <td>
          <ul class="urls">
            ${esp.paths.map(
              (path) =>
                html`<li>
                  <code class="url">${maskedBase}${path}</code>
                  <button
                    type="button"
                    class="copy"
                    data-path="${path}"
                    aria-label="Copy the ${esp.label} ${path} webhook URL, secret included"
                  >
                    Copy
                  </button>
                </li>`,
            )}
          </ul>
        </td>
        <td>basic auth${esp.check ? ` · ${esp.check}` : ""}</td>
      </tr>`,
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>anymail mail console</title>
        <link rel="stylesheet" href="/static/style.css" />
        <script type="module" src="/static/client.js"></script>
      </head>
      <body>
        <a class="skip" href="#events-panel">Skip to events</a>
        <header class="top">
          <h1>anymail <span>mail console</span></h1>
          <p>
            Sending through
            <strong id="esp">${data.esp}</strong>
            ${data.esp === "console" ? html`<span class="muted">(prints messages instead of sending them)</span>` : ""}
            · <a href="#health">webhook URLs</a>
          </p>
        </header>
        <main class="layout">
          <section id="events-panel" class="panel" aria-labelledby="events-h">
            <div class="panel-head">
              <h2 id="events-h">Events</h2>
              <span id="event-count" class="muted" role="status">0 events</span>
            </div>
            <details id="simulate" class="simulate-bar" open>
              <summary id="simulate-h">Simulate a webhook</summary>
              <div class="sim-groups" role="group" aria-labelledby="simulate-h">${groups}</div>
            </details>
            <p id="simulate-status" class="status-line" role="status"></p>
            <div class="filters">
              <label
                >ESP
                <select id="filter-esp">
                  <option value="">all</option>
                </select></label
              >
              <label
                >Type
                <select id="filter-type">
                  <option value="">all</option>
                </select></label
              >
              <label class="grow"
                >Search
                <input
                  id="filter-search"
                  type="search"
                  placeholder="recipient, message id, subject…"
              /></label>
            </div>
            <figure class="chart">
              <svg
                id="chart"
                role="img"
                aria-labelledby="chart-legend"
                viewBox="0 0 240 48"
                preserveAspectRatio="none"
              ></svg>
              <figcaption id="chart-legend" class="legend"></figcaption>
            </figure>
            <div class="table-wrap">
              <table id="events-table">
                <caption class="visually-hidden">
                  Events received, newest first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">ESP</th>
                    <th scope="col">Event</th>
                    <th scope="col">Recipient</th>
                    <th scope="col" class="col-id">Message id</th>
                    <th scope="col" class="col-reason">Reason</th>
                  </tr>
                </thead>
                <tbody id="events"></tbody>
              </table>
              <p id="events-empty" class="empty">
                No events yet: send a message, or press a simulate button.
              </p>
            </div>
          </section>

          <section id="send-panel" class="panel" aria-labelledby="send-h">
            <h2 id="send-h">Send a message</h2>
            <form id="send-form" novalidate>
              <label for="from">From</label
              ><input
                id="from"
                name="from"
                value="Anymail Example <example@example.com>"
                aria-describedby="from-error"
              />
              <p id="from-error" class="field-error" hidden></p>
              <label for="to">To</label
              ><input
                id="to"
                name="to"
                value="Someone <someone@example.com>"
                required
                aria-describedby="to-error"
              />
              <p id="to-error" class="field-error" hidden></p>
              <label for="cc">Cc</label><input id="cc" name="cc" aria-describedby="cc-error" />
              <p id="cc-error" class="field-error" hidden></p>
              <label for="subject">Subject</label
              ><input id="subject" name="subject" value="Hello from anymail" />
              <label for="text">Text</label
              ><textarea id="text" name="text" rows="2">It works!</textarea>
              <label for="html">HTML</label
              ><textarea id="html" name="html" rows="2"><p>It <b>works</b>!</p></textarea>
              <label for="tags">Tags</label
              ><input id="tags" name="tags" placeholder="comma, separated" />
              <label for="metadata">Metadata</label
              ><input
                id="metadata"
                name="metadata"
                placeholder='{"user_id": "42"}'
                aria-describedby="metadata-error"
              />
              <p id="metadata-error" class="field-error" hidden></p>
              <label for="attachment">Attachment</label
              ><input
                id="attachment"
                name="attachment"
                type="file"
                aria-describedby="attachment-error"
              />
              <p id="attachment-error" class="field-error" hidden></p>
              <button type="submit" class="primary">Send</button>
            </form>
            <p id="send-status" class="status-line" role="status"></p>
            <div id="send-result" hidden>
              <table id="recipients">
                <caption>
                  Per recipient
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Recipient</th>
                    <th scope="col">Status</th>
                    <th scope="col">Message id</th>
                  </tr>
                </thead>
                <tbody></tbody>
              </table>
              <h3>Events for this message</h3>
              <ul id="send-events" class="chips">
                <li class="muted">none yet: simulate one above to see it linked here</li>
              </ul>
              <h3>What was sent</h3>
              <div id="preview"></div>
            </div>
          </section>

          <section id="health" class="panel" aria-labelledby="health-h">
            <h2 id="health-h">Webhooks</h2>
            <p>
              Give each ESP these URLs (behind https in production). The basic-auth secret is masked
              here; the Copy buttons copy it in full.
            </p>
            <p>
              Sending through <strong>${data.esp}</strong> (<code>ANYMAIL_ESP</code> and that ESP's
              credentials choose it). Receiving webhooks from every ESP below; the Checks column
              says how each one's posts are authenticated.
            </p>
            <div class="table-wrap">
              <table class="health">
                <thead>
                  <tr>
                    <th scope="col">ESP</th>
                    <th scope="col">Webhook URLs</th>
                    <th scope="col">Checks</th>
                  </tr>
                </thead>
                <tbody>
                  ${healthRows}
                </tbody>
              </table>
            </div>
            <p id="copy-status" class="status-line" role="status"></p>
          </section>
        </main>

        <dialog id="drawer" aria-labelledby="drawer-title">
          <div class="drawer-head">
            <h2 id="drawer-title">Event</h2>
            <button type="button" id="drawer-close" aria-label="Close the event details">
              Close
            </button>
          </div>
          <div id="drawer-body"></div>
        </dialog>
      </body>
    </html>`.text;
}
