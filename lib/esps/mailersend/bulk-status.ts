/**
 * @module
 * MailerSend processes a `/bulk-email` send later: a send reports each recipient "unknown"
 * with the messageId `bulk:<bulk_email_id>`. `mailerSendBulkStatus` asks MailerSend
 * (`GET /bulk-email/<id>`) how that bulk went: its state and the message ids it created.
 */
import { HttpClient, joinUrl, type FetchLike } from "../../sender/http.js";
import { resolveSettings, type Env } from "../../settings.js";
import { isRecord } from "../../util/records.js";
import { AnymailAPIError } from "../../errors.js";
import { SEND_SETTINGS } from "./index.js";
import { stringsOf } from "../../util/payload.js";

const ESP_NAME = "MailerSend";

export interface MailerSendBulkStatusOptions {
  /** As for createSender("mailersend"): option, else ANYMAIL_MAILERSEND_API_TOKEN / MAILERSEND_API_TOKEN. */
  apiToken?: string;
  apiUrl?: string;
  env?: Env;
  fetch?: FetchLike;
}

export interface MailerSendBulkStatus {
  /** MailerSend's state: "pending", "processing", "completed", … */
  state: string | null;
  /** The ids of the messages MailerSend created (the messageId of their activity events). */
  messageIds: string[];
  /** MailerSend's whole `data` object (counts, suppressed recipients, validation errors). */
  data: Record<string, unknown>;
}

/**
 * The state of a bulk send, by its id or the `bulk:<id>` messageId a send reported.
 *
 * @example
 * const status = await sender.send({ ..., mergeData }); // batchSendMode "use-bulk-email"
 * const bulk = await mailerSendBulkStatus(status.messageIds[0]);
 * if (bulk.state === "completed") console.log(bulk.messageIds);
 */
export async function mailerSendBulkStatus(
  bulkId: string,
  options: MailerSendBulkStatusOptions = {},
): Promise<MailerSendBulkStatus> {
  const { env = process.env, fetch, ...given } = options;
  const settings = resolveSettings(given, SEND_SETTINGS, {
    prefixes: ["MAILERSEND"],
    espName: ESP_NAME,
    where: "mailerSendBulkStatus",
    env,
  });
  const http = new HttpClient({
    espName: ESP_NAME,
    esp: "mailersend",
    timeout: 30,
    fetch,
    secrets: [settings.apiToken],
  });
  try {
    const id = encodeURIComponent(bulkId.replace(/^bulk:/, ""));
    const response = await http.request({
      method: "GET",
      url: joinUrl(settings.apiUrl, `bulk-email/${id}`),
      headers: { Authorization: `Bearer ${settings.apiToken}`, Accept: "application/json" },
    });
    const json = response.json;
    const data = isRecord(json) && isRecord(json.data) ? json.data : null;
    if (!data) {
      throw new AnymailAPIError(`${ESP_NAME} bulk status: no data in the answer`, {
        espName: ESP_NAME,
        statusCode: response.status,
        response: response.toEspResponse(),
      });
    }
    return {
      state: typeof data.state === "string" ? data.state : null,
      messageIds: stringsOf(data.messages_id),
      data,
    };
  } finally {
    await http.close();
  }
}
