/**
 * Runs the shared webhook kit for every registered ESP that serves webhook routes, with the
 * profile in `spec/kits/<esp>.ts` (export `webhook`). A registered ESP without a profile
 * fails here by name.
 */
import { existsSync } from "node:fs";
import { expect } from "chai";
import { listAdapters } from "../../lib/esps/registry.js";
import { describeWebhook, routeNames, type WebhookProfile } from "../helpers/describe-webhook.js";

for (const adapter of listAdapters()) {
  if (routeNames(adapter).length === 0) continue;
  const file = new URL(`./${adapter.name}.ts`, import.meta.url);
  const profile = existsSync(file)
    ? ((await import(file.href)) as { webhook?: WebhookProfile }).webhook
    : undefined;
  if (profile === undefined) {
    describe(`${adapter.displayName} webhook kit`, () => {
      it(`has a webhook profile (export "webhook" from spec/kits/${adapter.name}.ts)`, () => {
        expect.fail(`${adapter.displayName} serves webhooks but has no profile for the kit.`);
      });
    });
    continue;
  }
  describeWebhook(profile);
}
