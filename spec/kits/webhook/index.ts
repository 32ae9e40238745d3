/**
 * @module
 * The webhook kit profiles, by adapter name: one file per ESP (`<esp>.ts`, export `webhook`)
 * and one line here. Imported statically: a dynamic import() of the profiles loaded a second
 * copy of the lib modules under tsx, and c8 then lost the coverage of the first.
 */
import type { WebhookProfile } from "../../helpers/describe-webhook.js";
import { webhook as amazonSes } from "./amazon_ses.js";
import { webhook as mailersend } from "./mailersend.js";
import { webhook as mailgun } from "./mailgun.js";
import { webhook as mailjet } from "./mailjet.js";
import { webhook as mailtrap } from "./mailtrap.js";
import { webhook as mandrill } from "./mandrill.js";
import { webhook as postal } from "./postal.js";
import { webhook as postmark } from "./postmark.js";
import { webhook as resend } from "./resend.js";
import { webhook as sendgrid } from "./sendgrid.js";
import { webhook as sendinblue } from "./sendinblue.js";
import { webhook as sparkpost } from "./sparkpost.js";
import { webhook as unisenderGo } from "./unisender_go.js";

export const WEBHOOK_PROFILES: Readonly<Record<string, WebhookProfile>> = {
  amazon_ses: amazonSes,
  mailersend,
  mailgun,
  mailjet,
  mailtrap,
  mandrill,
  postal,
  postmark,
  resend,
  sendgrid,
  sendinblue,
  sparkpost,
  unisender_go: unisenderGo,
};
