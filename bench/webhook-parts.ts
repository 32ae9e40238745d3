/**
 * @module
 * The webhook section's parts, each measured in a Node process of its own (`bench/run.ts`):
 * measured one after another in one process, a case's ratio depended on its place in the
 * order (bench/README.md).
 */
import { QUICK } from "./lib.js";

/** The cases with a >= 0.90 target, in the table's order. */
export const TARGET_CASES = [
  "sendgrid-x50",
  "mailjet-x50",
  "mandrill-x50",
  "mailgun-signed",
  "postmark-inbound",
] as const;

/** The ESPs whose per-event cost growth is measured (`--quick`: Mailjet's only). */
export const GROWTH_ESPS = ["mailjet", "sendgrid", "mandrill"] as const;

export type TargetCase = (typeof TARGET_CASES)[number];
export type GrowthEsp = (typeof GROWTH_ESPS)[number];
export type WebhookPart = TargetCase | `growth:${GrowthEsp}`;

/** Every part of this run, in order. */
export function webhookParts(quick = QUICK): WebhookPart[] {
  const growth = quick ? GROWTH_ESPS.slice(0, 1) : GROWTH_ESPS;
  return [...TARGET_CASES, ...growth.map((esp) => `growth:${esp}` as const)];
}
