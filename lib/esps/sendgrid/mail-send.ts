/**
 * @module
 * The wire format of SendGrid's v3 Mail Send body, as far as Anymail builds it
 * (SendGrid API reference "Mail Send"); espExtra may add any other field.
 */
import type { JsonObject } from "../../sender/message.js";

export interface SendGridAddress {
  email: string;
  name?: string;
}

export interface SendGridPersonalization {
  to?: SendGridAddress[];
  cc?: SendGridAddress[];
  bcc?: SendGridAddress[];
  headers?: Record<string, string>;
  substitutions?: Record<string, string | null>;
  dynamic_template_data?: JsonObject;
  custom_args?: Record<string, string>;
  [extra: string]: unknown;
}

export interface SendGridAttachment {
  content: string;
  type: string;
  filename: string;
  disposition?: "inline";
  content_id?: string;
}

/** The v3 Mail Send body, in the order Anymail builds it (espExtra may add any field). */
export interface SendGridMailSend {
  personalizations: SendGridPersonalization[];
  from?: SendGridAddress;
  subject?: string;
  reply_to?: SendGridAddress;
  reply_to_list?: SendGridAddress[];
  content?: { type: string; value: string }[];
  attachments?: SendGridAttachment[];
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
  categories?: string[];
  send_at?: number;
  template_id?: string;
  tracking_settings?: { click_tracking?: { enable: boolean }; open_tracking?: { enable: boolean } };
  [extra: string]: unknown;
}
