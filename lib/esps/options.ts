/**
 * @module
 * Each ESP's createSender options, by the name createSender takes, so that
 * `createSender("mailgun", { apiKye })` is a type error rather than a runtime one.
 */
import type { AmazonSesOptions } from "./amazon-ses/send.js";
import type { MailgunOptions } from "./mailgun/send.js";
import type { MailjetOptions } from "./mailjet/send.js";
import type { MandrillOptions } from "./mandrill/send.js";
import type { PostmarkOptions } from "./postmark/send.js";
import type { SendGridOptions } from "./sendgrid/send.js";
import type { SendinblueOptions } from "./sendinblue/send.js";
import type { SparkPostOptions } from "./sparkpost/send.js";
import type { SendDefaults } from "../sender/message.js";

/** The console ESP's option. */
export interface ConsoleOptions {
  /** Where messages are printed. @default process.stdout */
  stream?: { write(chunk: string): unknown };
}

// Credentials may come from the environment, so no ESP option is required in the type.
export interface EspOptionsMap {
  amazon_ses: AmazonSesOptions & { amazonSesSendDefaults?: SendDefaults };
  mailgun: MailgunOptions & { mailgunSendDefaults?: SendDefaults };
  mailjet: MailjetOptions & { mailjetSendDefaults?: SendDefaults };
  mandrill: MandrillOptions & { mandrillSendDefaults?: SendDefaults };
  postmark: PostmarkOptions & { postmarkSendDefaults?: SendDefaults };
  sendgrid: Partial<SendGridOptions> & { sendgridSendDefaults?: SendDefaults };
  sendinblue: SendinblueOptions & { sendinblueSendDefaults?: SendDefaults };
  brevo: SendinblueOptions & { brevoSendDefaults?: SendDefaults };
  sparkpost: Partial<SparkPostOptions> & { sparkpostSendDefaults?: SendDefaults };
  test: { testSendDefaults?: SendDefaults };
  console: ConsoleOptions & { consoleSendDefaults?: SendDefaults };
}

/** A name createSender knows at compile time. */
export type KnownEspName = keyof EspOptionsMap;
