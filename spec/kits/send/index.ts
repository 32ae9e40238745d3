// Every HTTP ESP's send-kit profile, listed once: the send kit (spec/kits/send.spec.ts) and
// the benchmarks (bench/profiles.ts) both read this list. Static imports on purpose: a dynamic
// import loaded a second copy of lib/ and c8 under-counted its coverage.
import type { HttpSendProfile } from "../../helpers/describe-http-send.js";
import { profile as mailersend } from "./mailersend.js";
import { profile as mailgun } from "./mailgun.js";
import { profile as mailjet } from "./mailjet.js";
import { profile as mailtrap } from "./mailtrap.js";
import { profile as mandrill } from "./mandrill.js";
import { profile as postal } from "./postal.js";
import { profile as postmark } from "./postmark.js";
import { profile as resend } from "./resend.js";
import { profile as scaleway } from "./scaleway.js";
import { profile as sendgrid } from "./sendgrid.js";
import { profile as sendinblue } from "./sendinblue.js";
import { profile as sparkpost } from "./sparkpost.js";
import { profile as unisenderGo } from "./unisender_go.js";

/** Every profile, by ESP name. A new ESP adds its file and one line here. */
export const PROFILES: readonly HttpSendProfile[] = [
  mailersend,
  mailgun,
  mailjet,
  mailtrap,
  mandrill,
  postal,
  postmark,
  resend,
  scaleway,
  sendgrid,
  sendinblue,
  sparkpost,
  unisenderGo,
];
