/* global document, window, EventSource */
// The page's behaviour. Every node is built by h() with textContent: no markup strings,
// so nothing an ESP or a message sends can become HTML here.

/** h("td", { className: "x" }, "text", child): an element with properties and children. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key in el && !key.startsWith("aria")) el[key] = value;
    else el.setAttribute(key, String(value));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}
const svg = (tag, attrs) => {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
};
const $ = (selector) => document.querySelector(selector);
const pretty = (value) => JSON.stringify(value, null, 2);
const timeOf = (iso) => new Date(iso).toLocaleTimeString([], { hour12: false });
const badge = (type) => h("span", { className: `badge ${type}` }, type);

// The order of the chart and legend: the life of a message, then the other outcomes.
const TYPE_ORDER = [
  "queued",
  "sent",
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "rejected",
  "deferred",
  "complained",
  "failed",
  "unsubscribed",
  "subscribed",
  "autoresponded",
  "inbound",
  "unknown",
];
const TYPE_COLOURS = {
  queued: "#0969da",
  sent: "#0969da",
  delivered: "#1a7f37",
  opened: "#0f766e",
  clicked: "#8250df",
  bounced: "#cf222e",
  rejected: "#a40e26",
  failed: "#a40e26",
  deferred: "#bc4c00",
  complained: "#bc4c00",
  inbound: "#3b4fc4",
};

const state = {
  events: [],
  seen: new Set(),
  sent: null,
  filters: { esp: "", type: "", search: "" },
};

// ---- events ----------------------------------------------------------------------------

function matches(stored) {
  const { esp, type, search } = state.filters;
  if (esp && stored.espName !== esp) return false;
  if (type && stored.eventType !== type) return false;
  if (search) {
    const haystack = [
      stored.espName,
      stored.eventType,
      stored.recipient,
      stored.messageId,
      stored.rejectReason,
      stored.inbound?.subject,
      stored.inbound?.from,
      stored.sent?.subject,
    ]
      .filter(Boolean)
      .join(" ")
      .toLowerCase();
    if (!haystack.includes(search.toLowerCase())) return false;
  }
  return true;
}

function eventRow(stored, fresh) {
  const open = () => openDrawer(stored);
  return h(
    "tr",
    {
      className: fresh ? "fresh" : "",
      dataset: { id: stored.id, esp: stored.espName, type: stored.eventType },
      onclick: open,
    },
    h(
      "td",
      { className: "time" },
      h(
        "button",
        {
          type: "button",
          className: "link",
          title: stored.receivedAt,
          "aria-label": `Details: ${stored.eventType} from ${stored.espName} at ${timeOf(stored.receivedAt)}`,
          onclick: (e) => {
            e.stopPropagation();
            open();
          },
        },
        timeOf(stored.receivedAt),
      ),
    ),
    h("td", { className: "esp" }, stored.espName),
    h("td", {}, badge(stored.eventType)),
    h("td", { className: "recipient" }, stored.recipient ?? stored.inbound?.from ?? "—"),
    h(
      "td",
      { className: "col-id" },
      h("span", { className: "mono" }, stored.messageId ?? "—"),
      stored.sent
        ? h(
            "span",
            { className: "linked", title: `Sent from this page: ${stored.sent.subject}` },
            "sent here",
          )
        : null,
    ),
    h("td", { className: "col-reason" }, stored.rejectReason ?? ""),
  );
}

function renderEvents() {
  const rows = state.events.filter(matches).map((stored) => eventRow(stored, false));
  $("#events").replaceChildren(...rows);
  $("#events-empty").textContent =
    state.events.length === 0
      ? "No events yet: send a message, or press a simulate button."
      : "No events match the filters.";
  renderCount();
}

function renderCount() {
  const total = state.events.length;
  const shown = $("#events").rows.length;
  $("#events-empty").hidden = shown > 0;
  $("#event-count").textContent =
    `${total} event${total === 1 ? "" : "s"}${shown === total ? "" : ` (${shown} shown)`}`;
}

function addOption(select, value) {
  if ([...select.options].some((o) => o.value === value)) return;
  select.append(h("option", { value }, value));
}

function receive(stored) {
  // a reconnecting stream replays what it sent before
  if (state.seen.has(stored.id)) return;
  state.seen.add(stored.id);
  state.events.unshift(stored);
  addOption($("#filter-esp"), stored.espName);
  addOption($("#filter-type"), stored.eventType);
  if (matches(stored)) $("#events").prepend(eventRow(stored, true));
  renderCount();
  if (stored.sent && state.sent && stored.sent.id === state.sent.id) renderSendEvents();
  drawChart();
}

// ---- chart: counts per type over time --------------------------------------------------

function drawChart() {
  const chart = $("#chart");
  const buckets = 12;
  const now = Date.now();
  const oldest = state.events.length
    ? Date.parse(state.events[state.events.length - 1].receivedAt)
    : now;
  const span = Math.max(60_000, now - oldest + 1);
  const width = 240 / buckets;
  const counts = Array.from({ length: buckets }, () => new Map());
  const totals = new Map();
  for (const e of state.events) {
    const i = Math.min(
      buckets - 1,
      Math.floor(((Date.parse(e.receivedAt) - (now - span)) / span) * buckets),
    );
    counts[Math.max(0, i)].set(e.eventType, (counts[Math.max(0, i)].get(e.eventType) ?? 0) + 1);
    totals.set(e.eventType, (totals.get(e.eventType) ?? 0) + 1);
  }
  const tallest = Math.max(1, ...counts.map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
  const order = (type) => TYPE_ORDER.indexOf(type) + 1 || 99;
  const bars = [];
  counts.forEach((m, i) => {
    let y = 48;
    for (const [type, n] of [...m].sort((a, b) => order(a[0]) - order(b[0]))) {
      const height = (n / tallest) * 44;
      y -= height;
      bars.push(
        svg("rect", {
          x: i * width + 0.5,
          y,
          width: width - 1,
          height,
          fill: TYPE_COLOURS[type] ?? "#6e7781",
        }),
      );
    }
  });
  chart.replaceChildren(...bars);
  const minutes = Math.round(span / 60_000);
  const items = [...totals]
    .sort((a, b) => order(a[0]) - order(b[0]))
    .map(([type, n]) =>
      h(
        "span",
        {},
        h("span", { className: "swatch", style: `background:${TYPE_COLOURS[type] ?? "#6e7781"}` }),
        `${type} ${n}`,
      ),
    );
  $("#chart-legend").replaceChildren(
    state.events.length
      ? h("span", { className: "muted" }, `last ${minutes} min:`)
      : h("span", { className: "muted" }, "Counts per event type will chart here."),
    ...items,
  );
}

// ---- drawer ----------------------------------------------------------------------------

function fieldList(pairs) {
  return h(
    "dl",
    { className: "fields" },
    pairs
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

function mailFrame(title, markup) {
  // no allow-scripts, no allow-same-origin: the message can't run code or reach the page
  return h("iframe", {
    className: "mail",
    title,
    sandbox: "",
    srcdoc: markup,
    referrerPolicy: "no-referrer",
  });
}

function openDrawer(stored) {
  const parts = [
    fieldList([
      ["Event", badge(stored.eventType)],
      ["ESP", stored.espName],
      ["Received", new Date(stored.receivedAt).toLocaleString()],
      ["Recipient", stored.recipient],
      ["Message id", stored.messageId],
      ["Reason", stored.rejectReason],
      ["Sent from this page", stored.sent ? `“${stored.sent.subject}”` : null],
    ]),
  ];
  if (stored.inbound) {
    const m = stored.inbound;
    parts.push(
      h("h3", {}, "Inbound message"),
      fieldList([
        ["From", m.from],
        ["To", m.to.join(", ")],
        ["Subject", m.subject],
      ]),
    );
    if (m.html !== null)
      parts.push(h("h3", {}, "HTML (sanitized)"), mailFrame("Inbound message HTML", m.html));
    if (m.text !== null) parts.push(h("h3", {}, "Text"), h("pre", {}, m.text));
    if (m.attachments.length) {
      parts.push(
        h("h3", {}, "Attachments"),
        h(
          "ul",
          {},
          m.attachments.map((a) =>
            h(
              "li",
              {},
              h(
                "a",
                {
                  href: `/attachments/${encodeURIComponent(stored.id)}/${a.index}`,
                  className: "attachment",
                  download: "",
                },
                a.filename ?? `attachment ${a.index + 1}`,
              ),
              ` ${a.contentType}, ${a.size} bytes`,
            ),
          ),
        ),
      );
    }
  }
  parts.push(
    h(
      "details",
      { open: true },
      h("summary", {}, "Normalized event"),
      h("pre", { className: "normalized" }, pretty(stored.event)),
    ),
    h(
      "details",
      { open: !stored.inbound },
      h("summary", {}, "Raw espEvent"),
      h("pre", { className: "raw" }, pretty(stored.espEvent)),
    ),
  );
  $("#drawer-title").replaceChildren(`${stored.espName} ${stored.eventType}`);
  $("#drawer-body").replaceChildren(...parts);
  const drawer = $("#drawer");
  if (!drawer.open) {
    state.opener = document.activeElement;
    drawer.showModal();
  }
  $("#drawer-close").focus();
}

// ---- send ------------------------------------------------------------------------------

function clearFieldErrors() {
  for (const el of document.querySelectorAll("#send-form [aria-invalid]"))
    el.removeAttribute("aria-invalid");
  for (const el of document.querySelectorAll("#send-form .field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
}

function showSendError(error) {
  const status = $("#send-status");
  status.className = "status-line error";
  const field = error.field && $(`#${error.field}`);
  if (field) {
    const label = $(`label[for="${error.field}"]`)?.textContent ?? error.field;
    status.textContent = `Not sent: ${label}: ${error.message}`;
    field.setAttribute("aria-invalid", "true");
    const note = $(`#${error.field}-error`);
    if (note) {
      note.textContent = error.message;
      note.hidden = false;
    }
    field.focus();
  } else {
    status.textContent = `Not sent: ${error.message} (${error.name})`;
  }
}

function renderPreview(sent) {
  const p = sent.preview;
  const sections = [];
  if (p.printed)
    sections.push(
      h(
        "details",
        { open: true, className: "printed" },
        h("summary", {}, "As the console ESP printed it"),
        h("pre", {}, p.printed),
      ),
    );
  if (p.html !== null)
    sections.push(
      h(
        "details",
        { open: !p.printed },
        h("summary", {}, "HTML"),
        mailFrame("Sent message HTML", p.html),
      ),
    );
  if (p.text !== null)
    sections.push(h("details", {}, h("summary", {}, "Text"), h("pre", {}, p.text)));
  sections.push(h("details", {}, h("summary", {}, "Headers"), fieldList(p.headers)));
  sections.push(
    h(
      "details",
      {},
      h("summary", {}, `Attachments (${p.attachments.length})`),
      p.attachments.length
        ? h(
            "ul",
            {},
            p.attachments.map((a) =>
              h("li", {}, `${a.filename} (${a.contentType}, ${a.size} bytes)`),
            ),
          )
        : h("p", { className: "muted" }, "none"),
    ),
  );
  $("#preview").replaceChildren(...sections);
}

function renderSendEvents() {
  const linked = state.events.filter((e) => e.sent?.id === state.sent.id).reverse();
  $("#send-events").replaceChildren(
    ...(linked.length
      ? linked.map((e) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                className: "link",
                onclick: () => openDrawer(e),
                "aria-label": `${e.espName} ${e.eventType} at ${timeOf(e.receivedAt)}`,
              },
              badge(e.eventType),
            ),
          ),
        )
      : [h("li", { className: "muted" }, "none yet: simulate one above to see it linked here")]),
  );
}

async function send(event) {
  event.preventDefault();
  clearFieldErrors();
  const status = $("#send-status");
  const button = $("#send-form button[type=submit]");
  status.className = "status-line";
  status.textContent = "Sending…";
  button.disabled = true;
  try {
    const answer = await fetch("/send", { method: "POST", body: new FormData(event.target) });
    const result = await answer.json();
    if (!result.ok) return showSendError(result.error);
    state.sent = result.sent;
    status.className = "status-line ok";
    status.textContent = result.sent.statusLine;
    $("#recipients tbody").replaceChildren(
      ...result.sent.recipients.map((r) =>
        h(
          "tr",
          {},
          h("td", {}, r.email),
          h("td", {}, badge(r.status)),
          h("td", { className: "mono" }, r.messageId ?? "—"),
        ),
      ),
    );
    renderPreview(result.sent);
    renderSendEvents();
    $("#send-result").hidden = false;
  } catch (error) {
    showSendError({ name: "NetworkError", message: String(error) });
  } finally {
    button.disabled = false;
  }
}

// ---- simulate and copy -----------------------------------------------------------------

async function simulate(button) {
  const out = $("#simulate-status");
  const name = button.getAttribute("aria-label").replace(/^Simulate /, "");
  out.className = "status-line";
  out.textContent = `Posting ${name}…`;
  const query = state.sent ? `?message=${encodeURIComponent(state.sent.id)}` : "";
  try {
    const answer = await fetch(`/simulate/${encodeURIComponent(button.dataset.sample)}${query}`, {
      method: "POST",
    });
    const result = await answer.json();
    out.className = `status-line ${result.ok ? "ok" : "error"}`;
    out.textContent = result.ok
      ? `${name}: the webhook answered ${result.status}, ${result.events} event${result.events === 1 ? "" : "s"} received`
      : `${name}: the webhook answered ${result.status}: ${result.text}`;
  } catch (error) {
    out.className = "status-line error";
    out.textContent = `${name}: ${error}`;
  }
}

async function copyUrl(button) {
  const out = $("#copy-status");
  const answer = await fetch(`/webhook-url?path=${encodeURIComponent(button.dataset.path)}`);
  const { url } = await answer.json();
  try {
    await navigator.clipboard.writeText(url);
    out.textContent = `Copied the ${button.dataset.path} URL (secret included).`;
  } catch {
    // no clipboard access (e.g. not a secure context): show it selected for the user to copy
    const field = h("input", { value: url, readOnly: true, "aria-label": "Webhook URL" });
    out.replaceChildren("Copy it from here: ", field);
    field.select();
  }
}

// ---- start -----------------------------------------------------------------------------

function start() {
  // on a phone the sample buttons would push the events below the fold: start folded
  if (window.matchMedia("(max-width: 600px)").matches) $("#simulate").open = false;
  $("#send-form").addEventListener("submit", send);
  for (const button of document.querySelectorAll("button.simulate"))
    button.addEventListener("click", () => simulate(button));
  for (const button of document.querySelectorAll("button.copy"))
    button.addEventListener("click", () => copyUrl(button));
  $("#drawer-close").addEventListener("click", () => $("#drawer").close());
  // back to where the user was (the row's button) when the drawer closes
  $("#drawer").addEventListener("close", () => state.opener?.focus?.());
  $("#drawer").addEventListener("click", (e) => {
    if (e.target === e.currentTarget) e.currentTarget.close();
  });
  const filters = [
    ["#filter-esp", "esp"],
    ["#filter-type", "type"],
    ["#filter-search", "search"],
  ];
  for (const [selector, key] of filters) {
    $(selector).addEventListener("input", (e) => {
      state.filters[key] = e.target.value;
      renderEvents();
    });
  }
  // the stream replays the stored events oldest first, then sends each new one
  new EventSource("/events").onmessage = (message) => receive(JSON.parse(message.data));
  renderEvents();
  drawChart();
  setInterval(drawChart, 15_000);
}

start();
