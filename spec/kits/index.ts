/**
 * @module
 * The kit profiles of every ESP, by adapter name: one file per ESP (`spec/kits/<esp>.ts`)
 * and one line here. Imported statically: the kits look a registered ESP up by name and
 * fail by name when it is missing.
 */
import type { WebhookProfile } from "../helpers/describe-webhook.js";
import { webhook as amazonSes } from "./amazon_ses.js";
import { webhook as mailgun } from "./mailgun.js";
import { webhook as mailjet } from "./mailjet.js";
import { webhook as mandrill } from "./mandrill.js";
import { webhook as postmark } from "./postmark.js";
import { webhook as sendgrid } from "./sendgrid.js";
import { webhook as sendinblue } from "./sendinblue.js";
import { webhook as sparkpost } from "./sparkpost.js";

/** Webhook kit profiles, by adapter name. */
export const WEBHOOK_PROFILES: Readonly<Record<string, WebhookProfile>> = {
  amazon_ses: amazonSes,
  mailgun,
  mailjet,
  mandrill,
  postmark,
  sendgrid,
  sendinblue,
  sparkpost,
};
