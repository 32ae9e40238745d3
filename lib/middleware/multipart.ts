/**
 * @module
 * Multipart bodies through multer (memory storage): files, and every field exactly as sent.
 */
import { Readable } from "node:stream";
import type multer from "multer";
import { lazyRequire } from "../util/lazy-require.js";
import type { WebhookFile } from "../esps/types.js";
import { AnymailMalformedBody, AnymailPayloadTooLarge, type BodyLimits } from "./limits.js";

interface MulterRequest extends Readable {
  headers: Record<string, string>;
  files?: Express.Multer.File[];
}

/** multer 2.5 options that @types/multer does not describe yet. */
interface MulterExtras {
  /** Feeds busboy; used here to see each field as sent, in order. */
  streamHandler(req: Readable, busboy: NodeJS.WritableStream & BusboyEvents): void;
}
interface BusboyEvents {
  on(event: "field", listener: (name: string, value: string) => void): unknown;
}

// RFC 7578 / WHATWG: LF, CR and '"' are the only escapes in multipart field names
const NAME_ESCAPES: Record<string, string> = { "%0a": "\n", "%0d": "\r", "%22": '"' };

// only a process that receives multipart webhooks loads multer
const loadMulter = lazyRequire<typeof multer>("multer");

const LIMIT_CODES = new Set([
  "LIMIT_PART_COUNT",
  "LIMIT_FILE_SIZE",
  "LIMIT_FILE_COUNT",
  "LIMIT_FIELD_KEY",
  "LIMIT_FIELD_VALUE",
  "LIMIT_FIELD_COUNT",
]);

export async function parseMultipart(
  raw: Buffer,
  contentTypeHeader: string,
  limits: Required<BodyLimits>,
): Promise<{ form: Record<string, string[]>; files: WebhookFile[] }> {
  if (!/;\s*boundary=/i.test(contentTypeHeader)) {
    throw new AnymailMalformedBody("Malformed multipart body: no boundary in Content-Type.");
  }
  // multer nests bracketed names (`a[b]`, `x[5]`) into req.body; webhooks want each field
  // exactly as sent, so they are collected straight from busboy instead
  const form: Record<string, string[]> = Object.create(null);
  const extras: MulterExtras = {
    streamHandler(req, busboy) {
      busboy.on("field", (name, value) => {
        const decoded = name.replace(
          /%0A|%0D|%22/gi,
          (escape) => NAME_ESCAPES[escape.toLowerCase()],
        );
        (form[decoded] ??= []).push(value);
      });
      req.pipe(busboy);
    },
  };
  const multerFn = loadMulter();
  const upload = multerFn({
    ...extras,
    storage: multerFn.memoryStorage(),
    // filenames in the wild are UTF-8 (RFC 7578); multer's default reads them as latin1
    defParamCharset: "utf8",
    limits: {
      // multer's 1 MB field-size default is too small for raw-MIME fields (design.md)
      fieldSize: limits.body,
      fileSize: limits.body,
      fields: limits.fields,
      files: limits.files,
      parts: limits.fields + limits.files,
      // req.body is not used, but multer still builds it: bound its sparse arrays
      ...{ fieldArrayIndexLimit: 10_000 },
    },
  } as multer.Options).any();
  const request: MulterRequest = Object.assign(Readable.from([raw]), {
    headers: { "content-type": contentTypeHeader, "content-length": String(raw.length) },
  });
  await new Promise<void>((resolve, reject) => {
    const next = (error?: unknown) => (error ? reject(error) : resolve());
    upload(request as never, {} as never, next);
  }).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && LIMIT_CODES.has(code)) {
      throw new AnymailPayloadTooLarge(
        `Webhook multipart body is over a limit (${code}); raise anymailRouter({ limits }).`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new AnymailMalformedBody(`Malformed multipart body: ${reason}`);
  });
  const files = (request.files ?? []).map((file): WebhookFile => ({
    fieldName: file.fieldname,
    filename: file.originalname,
    contentType: file.mimetype,
    content: file.buffer,
  }));
  return { form, files };
}
