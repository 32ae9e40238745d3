/**
 * @module
 * The example app: sends through any ESP (the console ESP by default), receives every ESP's
 * webhooks at /anymail, and shows both on one page. Copy what you need.
 */
import express from "express";
import multer from "multer";
import { randomBytes, randomUUID } from "node:crypto";
import {
  AnymailEmitter,
  anymailRouter,
  createSender,
  type AnymailInboundEvent,
  type AnymailMessage,
  type AnymailTrackingEvent,
} from "anymail";
import { renderPage } from "./page.js";
import { availableSamples, type SampleKeys } from "./samples.js";

export interface ExampleAppOptions {
  /** The ESP to send through. @default process.env.ANYMAIL_ESP ?? "console" */
  esp?: string;
  /** Options for createSender; credentials usually come from the environment instead. */
  senderOptions?: Record<string, unknown>;
  /** Basic-auth secret for the webhooks, "user:password". @default a fresh random one */
  webhookSecret?: string;
  /** Stream the console ESP prints to. */
  consoleStream?: { write(chunk: string): unknown };
  /** Where the webhook router sends events (e.g. a queue sink). @default the page's emitter */
  webhookEmitter?: AnymailEmitter;
}

/** What the page lists: the normalized event, its raw ESP event, and attachment links. */
interface StoredEvent {
  id: string;
  channel: "tracking" | "inbound";
  espName: string;
  receivedAt: string;
  event: Record<string, unknown>;
  espEvent: unknown;
  attachments: { index: number; filename: string | null; contentType: string; size: number }[];
}

const MAX_EVENTS = 200;

export function createExampleApp(options: ExampleAppOptions = {}) {
  const esp = options.esp ?? process.env.ANYMAIL_ESP ?? "console";
  const webhookSecret =
    options.webhookSecret ??
    process.env.ANYMAIL_WEBHOOK_SECRET ??
    `${randomBytes(6).toString("hex")}:${randomBytes(12).toString("hex")}`;
  // signing keys for ESPs that sign their webhooks; real ones come from the env
  const keys: SampleKeys = {
    mailgun: process.env.MAILGUN_WEBHOOK_SIGNING_KEY ?? randomBytes(16).toString("hex"),
    mandrill: process.env.MANDRILL_WEBHOOK_KEY ?? randomBytes(16).toString("hex"),
  };

  const sender = createSender(esp, {
    ...(esp === "console" && options.consoleStream ? { stream: options.consoleStream } : {}),
    ...options.senderOptions,
  });

  const events: StoredEvent[] = [];
  const inboundMessages = new Map<string, AnymailInboundEvent>();
  const watchers = new Set<express.Response>();

  function store(
    channel: StoredEvent["channel"],
    event: AnymailTrackingEvent | AnymailInboundEvent,
    espName: string,
  ) {
    const { espEvent, ...fields } = event as unknown as Record<string, unknown>;
    const stored: StoredEvent = {
      id: randomUUID(),
      channel,
      espName,
      receivedAt: new Date().toISOString(),
      event: channel === "inbound" ? summarizeInbound(event as AnymailInboundEvent) : fields,
      espEvent: channel === "inbound" ? "(see the message fields)" : espEvent,
      attachments:
        channel === "inbound"
          ? (event as AnymailInboundEvent).message.attachments.map((a, index) => ({
              index,
              filename: a.getFilename(),
              contentType: a.getContentType(),
              size: a.getContentBytes().length,
            }))
          : [],
    };
    if (channel === "inbound") inboundMessages.set(stored.id, event as AnymailInboundEvent);
    events.unshift(stored);
    const dropped = events.splice(MAX_EVENTS);
    for (const old of dropped) inboundMessages.delete(old.id);
    for (const res of watchers) res.write(`data: ${JSON.stringify(stored)}\n\n`);
  }

  const emitter = new AnymailEmitter();
  emitter.on("tracking", (event, espName) => store("tracking", event, espName));
  emitter.on("inbound", (event, espName) => store("inbound", event, espName));

  const app = express();
  app.use(
    "/anymail",
    anymailRouter({
      webhookSecret,
      emitter: options.webhookEmitter ?? emitter,
      mailgun: { webhookSigningKey: keys.mailgun },
      mandrill: { webhookKey: keys.mandrill },
    }),
  );

  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: 10 * 1024 * 1024 },
  });

  app.get("/", (req, res) => {
    res
      .type("html")
      .send(renderPage({ esp: sender.espName, samples: availableSamples().map((s) => s.id) }));
  });

  app.post("/send", upload.single("attachment"), async (req, res) => {
    const form = req.body as Record<string, string | undefined>;
    const message: AnymailMessage = {
      from: form.from || "Anymail Example <example@example.com>",
      to: form.to,
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
    try {
      if (form.metadata) message.metadata = JSON.parse(form.metadata) as Record<string, unknown>;
      const status = await sender.send(message);
      res.json({
        ok: true,
        status: {
          messageId: status.messageId instanceof Set ? [...status.messageId] : status.messageId,
          status: status.status ? [...status.status] : null,
          recipients: status.recipients,
        },
      });
    } catch (error) {
      const err = error as Error;
      res.status(400).json({ ok: false, error: { name: err.name, message: err.message } });
    }
  });

  // Server-sent events: the current list, then each new event as it arrives.
  app.get("/events", (req, res) => {
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    for (const stored of [...events].reverse()) res.write(`data: ${JSON.stringify(stored)}\n\n`);
    watchers.add(res);
    req.on("close", () => watchers.delete(res));
  });

  // Attachment downloads never echo the sender's filename or type into response headers.
  app.get("/attachments/:eventId/:index", (req, res) => {
    const inbound = inboundMessages.get(req.params.eventId);
    const attachment = inbound?.message.attachments[Number(req.params.index)];
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

  // Posts a realistic sample webhook of one ESP to this app's own webhook URL.
  app.post("/simulate/:sample", async (req, res) => {
    const sample = availableSamples().find((s) => s.id === req.params.sample);
    if (!sample) return void res.status(404).json({ ok: false, error: "unknown sample" });
    const base = `${req.protocol}://${req.get("host")}/anymail`;
    const request = sample.build({ baseUrl: base, keys, webhookSecret });
    const answer = await fetch(base + request.path, {
      method: "POST",
      headers: {
        ...request.headers,
        Authorization: `Basic ${Buffer.from(webhookSecret).toString("base64")}`,
      },
      body: request.body,
    });
    res.json({ ok: answer.ok, status: answer.status, text: await answer.text() });
  });

  return { app, sender, emitter, webhookSecret, events };
}

function summarizeInbound(event: AnymailInboundEvent): Record<string, unknown> {
  const m = event.message;
  return {
    eventType: event.eventType,
    timestamp: event.timestamp,
    eventId: event.eventId,
    from: m.fromEmail?.toString() ?? null,
    to: m.to.map(String),
    subject: m.subject,
    text: m.text,
    envelopeRecipient: m.envelopeRecipient,
    spamScore: m.spamScore,
  };
}
