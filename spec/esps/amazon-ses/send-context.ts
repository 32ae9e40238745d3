// Builds what the sender core gives an adapter (a NormalizedMessage and a SendContext), so the
// adapter's real SDK calls can be exercised on loopback.
import { AnymailSerializationError, AnymailUnsupportedFeature } from "../../../lib/errors.js";
import { EmailAddress } from "../../../lib/sender/address.js";
import { HttpClient } from "../../../lib/sender/http.js";
import type { AnymailMessage, NormalizedMessage } from "../../../lib/sender/message.js";
import type { SendContext, SendSettingsOf } from "../../../lib/esps/types.js";
import type { adapter as amazonSes } from "../../../lib/esps/amazon-ses/index.js";
import { normalizedMessage } from "../../helpers/normalized-message.js";

export function addr(addrSpec: string, name = ""): EmailAddress {
  return new EmailAddress(addrSpec, name);
}

export function normalized(fields: Partial<NormalizedMessage> = {}): NormalizedMessage {
  return normalizedMessage({ text: "Body", ...fields });
}

/** The fields of the original message implied by a normalized one (no send defaults). */
export function originalOf(message: NormalizedMessage): AnymailMessage {
  return {
    from: message.fromAll.map(String),
    to: message.to.map(String),
    cc: message.cc.map(String),
    bcc: message.bcc.map(String),
    replyTo: message.replyTo.map(String),
    subject: message.subject,
    text: message.text,
    html: message.html,
    alternatives: message.alternatives,
    attachments: [],
    headers: message.headers,
  };
}

export function sendContext(
  settings: Record<string, unknown>,
  {
    original,
    ignoreUnsupportedFeatures = false,
  }: { original?: AnymailMessage; ignoreUnsupportedFeatures?: boolean } = {},
): SendContext<SendSettingsOf<typeof amazonSes>> {
  const memos = new Map<string, unknown>();
  return {
    espName: "Amazon SES",
    settings: settings as SendSettingsOf<typeof amazonSes>,
    http: new HttpClient({ espName: "Amazon SES", timeout: 5, secrets: [] }),
    original: original ?? {},
    unsupported(feature: string) {
      if (!ignoreUnsupportedFeatures) {
        throw new AnymailUnsupportedFeature(`Amazon SES does not support ${feature}`, {
          espName: "Amazon SES",
        });
      }
    },
    serializeJson(value: unknown, what: string) {
      try {
        return JSON.stringify(value);
      } catch (error) {
        throw new AnymailSerializationError(`cannot serialize ${what}`, { cause: error });
      }
    },
    memo<T>(key: string, create: () => T): T {
      if (!memos.has(key)) memos.set(key, create());
      return memos.get(key) as T;
    },
  };
}
