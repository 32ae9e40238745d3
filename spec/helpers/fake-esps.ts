/**
 * @module
 * ESP adapters defined only in the tests: one with no optional features (to prove the
 * core's feature checks), and one that sends JSON over the shared HTTP client.
 */
import type { EspAdapter, FeatureSupport, SendResult } from "../../lib/esps/types.js";
import { Sender, type SenderOptions } from "../../lib/sender/sender.js";
import { allRecipients, type NormalizedMessage } from "../../lib/sender/message.js";
import type { RecipientStatus, SendStatus } from "../../lib/sender/status.js";

/** The message every fake adapter saw last. */
export const seen: NormalizedMessage[] = [];

/** A plain ESP: supports only what `features` says; reports each recipient with `status`. */
export function fakeAdapter(
  features: FeatureSupport = {},
  status: SendStatus = "queued",
): EspAdapter {
  return {
    name: "fake",
    displayName: "Fake",
    features,
    async send(message): Promise<SendResult> {
      seen.push(message);
      const recipients: Record<string, RecipientStatus> = {};
      for (const r of allRecipients(message))
        recipients[r.addrSpec] = { status, messageId: `id-${r.addrSpec}` };
      return { recipients, espResponse: { fake: true } };
    },
  };
}

/** An HTTP ESP posting `{to, subject}` JSON to `${apiUrl}/send` with a bearer key. */
export const fakeHttpAdapter: EspAdapter = {
  name: "fakehttp",
  displayName: "FakeHTTP",
  settings: { apiKey: { required: true, espKey: true, secret: true }, apiUrl: { required: true } },
  features: { tags: true, metadata: true },
  async send(message, context): Promise<SendResult> {
    const response = await context.http.request({
      url: `${context.settings.apiUrl}/send`,
      headers: { Authorization: `Bearer ${context.settings.apiKey}` },
      json: {
        to: message.to.map(String),
        subject: message.subject,
        metadata: message.metadata
          ? JSON.parse(context.serializeJson(message.metadata, "metadata"))
          : undefined,
      },
    });
    const body = response.json as { id: string; refused?: string[] };
    const recipients: Record<string, RecipientStatus> = {};
    for (const r of allRecipients(message)) {
      recipients[r.addrSpec] = {
        status: body.refused?.includes(r.addrSpec) ? "rejected" : "queued",
        messageId: body.id,
      };
    }
    return { recipients, espResponse: response.toEspResponse() };
  },
};

export function fakeSender(
  features: FeatureSupport = {},
  options: SenderOptions & Record<string, unknown> = {},
  status?: SendStatus,
): Sender {
  return new Sender(fakeAdapter(features, status), options);
}
