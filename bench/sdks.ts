/**
 * @module
 * The official SDKs of three ESPs (devDependencies, used by the benchmarks only), each pointed at
 * a loopback server and sending the same full message as bench/profiles.ts's FULL: from, to,
 * subject, text, html, a tag, metadata and one small text attachment. Loaded on first use.
 */
import { readFileSync } from "node:fs";

export interface OfficialSdk {
  /** npm name and installed version, for the results table. */
  label: string;
  /** Sends FULL once; rejects when the server's answer is not a success. */
  send(): Promise<unknown>;
  /** Text every request body of FULL carries (its attachment included), checked once. */
  expect: string[];
}

const ATTACHED = "attached";
const ATTACHED_BASE64 = Buffer.from(ATTACHED).toString("base64");
const FACTS = ["from@example.com", "to@example.com", "Bench", "<p>hello</p>", "bench", "42"];

function label(name: string): string {
  const path = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return `${name}@${(JSON.parse(readFileSync(path, "utf8")) as { version: string }).version}`;
}

/** Postmark's `postmark` ServerClient, its fetch aimed at the server by `requestHost`. */
async function postmark(url: string): Promise<OfficialSdk> {
  const { ServerClient, Attachment } = await import("postmark");
  const client = new ServerClient("kit-server-token", {
    useHttps: false,
    requestHost: new URL(url).host,
  });
  const message = {
    From: "Bench Sender <from@example.com>",
    To: "Bench Recipient <to@example.com>",
    Subject: "Bench",
    TextBody: "hello",
    HtmlBody: "<p>hello</p>",
    Tag: "bench",
    Metadata: { user: "42" },
    Attachments: [new Attachment("a.txt", ATTACHED_BASE64, "text/plain")],
  };
  return {
    label: label("postmark"),
    send: () => client.sendEmail(message),
    expect: [...FACTS, ATTACHED_BASE64],
  };
}

/** Twilio SendGrid's `@sendgrid/mail` (axios), its client's `baseUrl` set to the server. */
async function sendgrid(url: string): Promise<OfficialSdk> {
  // the packages' singletons (their typings declare no other export)
  const { default: mail } = await import("@sendgrid/mail");
  const { default: client } = await import("@sendgrid/client");
  client.setApiKey("SG.kit-sendgrid-key"); // sets the default baseUrl: override it after
  client.setDefaultRequest("baseUrl", `${url}/`);
  mail.setClient(client);
  const message = {
    from: { email: "from@example.com", name: "Bench Sender" },
    to: { email: "to@example.com", name: "Bench Recipient" },
    subject: "Bench",
    text: "hello",
    html: "<p>hello</p>",
    categories: ["bench"],
    customArgs: { user: "42" },
    attachments: [{ content: ATTACHED_BASE64, type: "text/plain", filename: "a.txt" }],
  };
  return {
    label: label("@sendgrid/mail"),
    send: () => mail.send(message),
    expect: [...FACTS, ATTACHED_BASE64],
  };
}

/** Mailgun's `mailgun.js` (axios, Node's FormData), its `url` option set to the server. */
async function mailgun(url: string): Promise<OfficialSdk> {
  const { default: Mailgun } = await import("mailgun.js");
  const client = new Mailgun(FormData).client({ username: "api", key: "kit-mailgun-key", url });
  const message = {
    from: "Bench Sender <from@example.com>",
    to: ["Bench Recipient <to@example.com>"],
    subject: "Bench",
    text: "hello",
    html: "<p>hello</p>",
    "o:tag": ["bench"],
    "v:user": "42",
    attachment: [{ filename: "a.txt", data: Buffer.from(ATTACHED), contentType: "text/plain" }],
  };
  return {
    label: label("mailgun.js"),
    send: () => client.messages.create("example.com", message),
    expect: [...FACTS, ATTACHED],
  };
}

/** The ESPs with an official SDK in the comparison, by anymail ESP name. */
export const OFFICIAL_SDKS: Readonly<Record<string, (url: string) => Promise<OfficialSdk>>> = {
  postmark,
  sendgrid,
  mailgun,
};
