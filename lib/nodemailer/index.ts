/**
 * @module
 * anymail/nodemailer: a nodemailer transport that sends through an anymail Sender, so an app
 * keeps its `transporter.sendMail()` calls and sends through any ESP's API.
 *
 * @example
 * import nodemailer from "nodemailer";
 * import { createSender } from "anymail";
 * import { anymailTransport } from "anymail/nodemailer";
 *
 * const transporter = nodemailer.createTransport(anymailTransport(createSender("acme_mail")));
 * const info = await transporter.sendMail({ from, to, subject, text });
 */
import { createRequire } from "node:module";
import { parseAddressList } from "../sender/address.js";
import type { AnymailMessage } from "../sender/message.js";
import type { Sender } from "../sender/sender.js";
import type { AnymailStatus, SendStatus } from "../sender/status.js";
import { DEFAULT_URL_ACCESS, type UrlAccessOptions } from "./content.js";
import { toAnymailMessage, type NodemailerMailData } from "./mail-data.js";

export type { UrlAccessOptions } from "./content.js";
export type {
  NodemailerAddress,
  NodemailerAttachment,
  NodemailerHeaders,
  NodemailerMailData,
} from "./mail-data.js";
export type { ListOption, ListUrl } from "./list-headers.js";

/** Options of `anymailTransport`. */
export interface AnymailTransportOptions {
  /** Limits for attachments and bodies given as a URL (`href`, or `path: "https://…"`). */
  urlAccess?: UrlAccessOptions;
}

/** What `sendMail()` resolves to: nodemailer's usual fields, plus the AnymailStatus. */
export interface AnymailSentMessageInfo {
  /** The envelope: the sender and every recipient's addr-spec. */
  envelope: { from: string | false; to: string[] };
  /**
   * The ESP's message id, as tracking events report it (the first one when recipients got
   * different ids; null when the ESP gave none).
   */
  messageId: string | null;
  /** Every message id the ESP gave. */
  messageIds: string[];
  /** Recipients the ESP sent or queued. */
  accepted: string[];
  /** Recipients the ESP refused (invalid, rejected) or failed to send to. */
  rejected: string[];
  /** Recipients whose status the ESP did not report. */
  pending: string[];
  /** A one-line summary, e.g. `"Acme Mail: sent"`. */
  response: string;
  /** The full normalized result of the send. */
  anymailStatus: AnymailStatus;
}

/** The message nodemailer hands a transport (its MailMessage). */
export interface NodemailerMailMessage {
  data: NodemailerMailData;
}

/** A nodemailer custom transport (see nodemailer's `createTransport(transport)`). */
export interface AnymailTransport {
  name: string;
  version: string;
  send(
    mail: NodemailerMailMessage,
    callback: (error: Error | null, info: AnymailSentMessageInfo) => void,
  ): void;
  /**
   * `transporter.verify()`: resolves (or calls back) `true`. createSender has already
   * checked the ESP's settings, and ESP APIs have no common way to check credentials
   * without sending.
   */
  verify(callback: (error: Error | null, success: true) => void): void;
  verify(): Promise<true>;
  /** Closes the sender's connection pool (`transporter.close()`). */
  close(): void;
}

const ACCEPTED: ReadonlySet<SendStatus> = new Set(["sent", "queued"]);
const REJECTED: ReadonlySet<SendStatus> = new Set(["invalid", "rejected", "failed"]);

function packageVersion(): string {
  // dist/nodemailer/index.js and lib/nodemailer/index.ts both sit two levels below the root
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return pkg.version;
}

/** The SMTP-style envelope of a message: its bounce address and every recipient. */
function envelopeOf(message: AnymailMessage): AnymailSentMessageInfo["envelope"] {
  const from = parseAddressList(message.envelopeSender ?? message.from, "from")[0];
  const to = [message.to, message.cc, message.bcc].flatMap((field) =>
    parseAddressList(field, "to").map((address) => address.addrSpec),
  );
  return { from: from?.addrSpec ?? false, to };
}

/** The info nodemailer callers read, built from the AnymailStatus. */
function sentMessageInfo(
  sender: Sender,
  status: AnymailStatus,
  envelope: AnymailSentMessageInfo["envelope"],
): AnymailSentMessageInfo {
  const recipients = Object.entries(status.recipients);
  const having = (statuses: ReadonlySet<SendStatus>): string[] =>
    recipients.filter(([, r]) => statuses.has(r.status)).map(([email]) => email);
  const messageIds = status.messageIds;
  return {
    envelope,
    messageId: messageIds[0] ?? null,
    messageIds,
    accepted: having(ACCEPTED),
    rejected: having(REJECTED),
    pending: recipients.filter(([, r]) => r.status === "unknown").map(([email]) => email),
    response: `${sender.espName}: ${[...(status.status ?? [])].join(", ") || "no status"}`,
    anymailStatus: status,
  };
}

function verify(callback: (error: Error | null, success: true) => void): void;
function verify(): Promise<true>;
function verify(callback?: (error: Error | null, success: true) => void): Promise<true> | void {
  if (!callback) return Promise.resolve(true);
  queueMicrotask(() => callback(null, true));
}

/**
 * A nodemailer transport that sends each message through `sender` (any ESP).
 * Pass it to `nodemailer.createTransport()`; `sendMail()` then resolves to an
 * {@link AnymailSentMessageInfo} and rejects with anymail's errors.
 */
export function anymailTransport(
  sender: Sender,
  options: AnymailTransportOptions = {},
): AnymailTransport {
  const url = { ...DEFAULT_URL_ACCESS, ...options.urlAccess };
  return {
    name: "anymail",
    version: packageVersion(),
    send(mail, callback) {
      const data = mail.data;
      const access = {
        url,
        noFiles: Boolean(data.disableFileAccess),
        noUrls: Boolean(data.disableUrlAccess),
      };
      toAnymailMessage(data, access)
        .then(async (message) => {
          const status = await sender.send(message);
          return sentMessageInfo(sender, status, envelopeOf(message));
        })
        .then(
          (info) => callback(null, info),
          (error: unknown) =>
            callback(error instanceof Error ? error : new Error(String(error)), undefined as never),
        );
    },
    verify,
    close() {
      void sender.close();
    },
  };
}
