/**
 * @module
 * The example app: sends through any ESP (the console ESP by default), receives every ESP's
 * webhooks at /anymail, and shows both on one page. Copy what you need.
 */
import express from "express";
import multer from "multer";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import {
  AnymailEmitter,
  anymailRouter,
  createSender,
  parseAddressList,
  type AnymailMessage,
} from "anymail";
import { EventLog, previewOf, statusLine, type SentMessage } from "./event-log.js";
import { renderPage } from "./page.js";
import { createSampleKeys, signingNotes, trustingRouterSettings } from "./sample-keys.js";
import { availableSamples, samplePath } from "./samples.js";

export interface ExampleAppOptions {
  /** The ESP to send through. @default process.env.ANYMAIL_ESP ?? "console" */
  esp?: string;
  /** Options for createSender; credentials usually come from the environment instead. */
  senderOptions?: Record<string, unknown>;
  /** Basic-auth secret for the webhooks, "user:password". @default a fresh random one */
  webhookSecret?: string;
  /** Stream the console ESP prints to (besides the page). @default process.stdout */
  consoleStream?: { write(chunk: string): unknown };
  /** Where the webhook router sends events (e.g. a queue sink). @default the page's emitter */
  webhookEmitter?: AnymailEmitter;
  /** Where the webhook router logs refused calls and warnings. @default console */
  logger?: { warn(message: string): void; error(message: string, error?: unknown): void };
}

const ADDRESS_FIELDS = ["from", "to", "cc"] as const;

export function createExampleApp(options: ExampleAppOptions = {}) {
  const esp = options.esp ?? process.env.ANYMAIL_ESP ?? "console";
  const webhookSecret =
    options.webhookSecret ??
    process.env.ANYMAIL_WEBHOOK_SECRET ??
    `${randomBytes(6).toString("hex")}:${randomBytes(12).toString("hex")}`;
  const keys = createSampleKeys();
  const log = new EventLog();

  // The console ESP prints each message; keep a copy so the page can show it.
  const terminal = options.consoleStream ?? process.stdout;
  const sender = createSender(esp, {
    ...(esp === "console"
      ? {
          stream: {
            write: (chunk: string) => {
              log.rememberPrinted(chunk);
              return terminal.write(chunk);
            },
          },
        }
      : {}),
    ...options.senderOptions,
  });

  const emitter = new AnymailEmitter();
  emitter.on("tracking", (event, espName) => log.add("tracking", event, espName));
  emitter.on("inbound", (event, espName) => log.add("inbound", event, espName));

  const app = express();
  // before any body parser: the router reads raw bodies to check signatures
  app.use(
    "/anymail",
    anymailRouter({
      webhookSecret,
      emitter: options.webhookEmitter ?? emitter,
      ...(options.logger ? { logger: options.logger } : {}),
      ...trustingRouterSettings(keys),
    }),
  );
  app.use((req, res, next) => {
    res.set({
      "Content-Security-Policy":
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
        "script-src 'self'; frame-src 'self' about:; object-src 'none'; base-uri 'none'",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    next();
  });
  app.use(
    "/static",
    express.static(fileURLToPath(new URL("./public/", import.meta.url)), { index: false }),
  );

  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: 10 * 1024 * 1024 },
  });

  const webhookBase = (req: express.Request) => `${req.protocol}://${req.get("host")}/anymail`;

  app.get("/", (req, res) => {
    const notes = signingNotes();
    const byEsp = new Map<string, { label: string; paths: string[]; check: string }>();
    for (const sample of availableSamples()) {
      const entry = byEsp.get(sample.esp) ?? {
        label: sample.espLabel,
        paths: [],
        check: notes[sample.esp] ?? "",
      };
      if (!entry.paths.includes(samplePath(sample))) entry.paths.push(samplePath(sample));
      byEsp.set(sample.esp, entry);
    }
    res.type("html").send(
      renderPage({
        esp: sender.espName,
        webhookBase: webhookBase(req),
        maskedSecret: maskSecret(webhookSecret),
        esps: [...byEsp].map(([name, entry]) => ({ name, ...entry })),
        samples: availableSamples(),
      }),
    );
  });

  // The full webhook URL for the copy buttons (the page itself shows it masked).
  app.get("/webhook-url", (req, res) => {
    const path = String(req.query.path ?? "");
    if (!/^\/[a-z0-9_]+\/(?:[a-z0-9_]+\/)?$/.test(path)) {
      return void res.status(400).json({ error: "path must look like /<esp>/<route>/" });
    }
    const url = webhookBase(req).replace("://", `://${webhookSecret}@`) + path;
    res.json({ url });
  });

  app.post("/send", upload.single("attachment"), async (req, res) => {
    const form = req.body as Record<string, string | undefined>;
    const fail = (field: string | null, name: string, message: string) =>
      void res.status(400).json({ ok: false, error: { field, name, message } });
    if (!form.to?.trim()) return fail("to", "Missing", "Add at least one recipient in To.");
    for (const field of ADDRESS_FIELDS) {
      try {
        if (form[field]) parseAddressList(form[field]);
      } catch (error) {
        return fail(field, (error as Error).name, (error as Error).message);
      }
    }
    const message: AnymailMessage = {
      from: form.from || "Anymail Example <example@example.com>",
      to: form.to,
      cc: form.cc || undefined,
      subject: form.subject,
      text: form.text || undefined,
      html: form.html || undefined,
      tags: form.tags
        ? form.tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean)
        : undefined,
      attachments: req.file
        ? [
            {
              filename: req.file.originalname,
              content: req.file.buffer,
              contentType: req.file.mimetype,
            },
          ]
        : undefined,
    };
    if (form.metadata) {
      try {
        message.metadata = JSON.parse(form.metadata) as Record<string, unknown>;
      } catch (error) {
        return fail("metadata", "InvalidJSON", `Metadata is not JSON: ${(error as Error).message}`);
      }
    }
    try {
      const status = await sender.send(message);
      const recipients = Object.entries(status.recipients).map(([email, r]) => ({
        email,
        status: r.status,
        messageId: r.messageId,
      }));
      const sent: SentMessage = log.addSent({
        esp: sender.espName,
        subject: form.subject ?? "",
        recipients,
        statusLine: statusLine(recipients),
        preview: previewOf(message, req.file),
      });
      res.json({ ok: true, sent });
    } catch (error) {
      const err = error as Error;
      fail(null, err.name, err.message);
    }
  });

  // Server-sent events: the current list, then each new event as it arrives.
  app.get("/events", (req, res) => {
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    const write = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    for (const stored of [...log.events].reverse()) write(stored);
    const unsubscribe = log.subscribe(write);
    req.on("close", unsubscribe);
  });

  // Attachment downloads never echo the sender's filename or type into response headers.
  app.get("/attachments/:eventId/:index", (req, res) => {
    const attachment = log.attachment(req.params.eventId, Number(req.params.index));
    if (!attachment) return void res.status(404).send("No such attachment");
    const safeName =
      (attachment.getFilename() ?? "").replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100) ||
      "attachment";
    res.set({
      "Content-Type": "application/octet-stream",
      "Content-Disposition": `attachment; filename="${safeName}"`,
      "X-Content-Type-Options": "nosniff",
    });
    res.send(attachment.getContentBytes());
  });

  // Posts a realistic sample webhook of one ESP to this app's own webhook URL; with
  // ?message=<send id>, the sample is about that message so its events link to it.
  app.post("/simulate/:sample", async (req, res) => {
    const sample = availableSamples().find((s) => s.id === req.params.sample);
    if (!sample) return void res.status(404).json({ ok: false, error: "unknown sample" });
    const baseUrl = webhookBase(req);
    const sent = log.sent(String(req.query.message ?? ""));
    const message = sent?.recipients[0]?.messageId
      ? {
          messageId: sent.recipients[0].messageId,
          recipient: sent.recipients[0].email,
          subject: sent.subject,
        }
      : undefined;
    const request = await sample.build({ baseUrl, keys, webhookSecret, message });
    const before = log.total;
    let answer: Response;
    try {
      answer = await fetch(baseUrl + samplePath(sample), {
        method: "POST",
        headers: {
          ...request.headers,
          Authorization: `Basic ${Buffer.from(webhookSecret).toString("base64")}`,
        },
        body: request.body,
      });
    } catch (error) {
      // e.g. the Host the page was opened with does not reach this server from itself
      const text = `could not post to ${baseUrl}: ${(error as Error).message}`;
      return void res.status(502).json({ ok: false, status: 502, text, events: 0 });
    }
    res.json({
      ok: answer.ok,
      status: answer.status,
      text: (await answer.text()).slice(0, 500),
      events: log.total - before,
    });
  });

  return { app, sender, emitter, webhookSecret, events: log.events, log };
}

/** "ab…:••••••": enough to recognize the secret, not enough to use it. */
export function maskSecret(secret: string): string {
  const [user] = secret.split(":");
  return `${user.slice(0, 2)}${"•".repeat(4)}:${"•".repeat(8)}`;
}
