/**
 * Runs the shared webhook kit for every registered ESP that serves webhook routes, with its
 * profile `spec/kits/webhook/<esp>.ts` (listed in `spec/kits/webhook/index.ts`). A registered
 * ESP without a profile fails here by name.
 */
import { expect } from "chai";
import { listAdapters } from "../../lib/esps/registry.js";
import { describeWebhook, routeNames } from "../helpers/describe-webhook.js";
import { WEBHOOK_PROFILES } from "./webhook/index.js";

for (const adapter of listAdapters()) {
  if (routeNames(adapter).length === 0) continue;
  const profile = Object.hasOwn(WEBHOOK_PROFILES, adapter.name)
    ? WEBHOOK_PROFILES[adapter.name]
    : undefined;
  if (profile === undefined) {
    describe(`${adapter.displayName} webhook kit`, () => {
      it(`has a webhook profile (spec/kits/webhook/${adapter.name}.ts, listed in its index.ts)`, () => {
        expect.fail(`${adapter.displayName} serves webhooks but has no profile for the kit.`);
      });
    });
    continue;
  }
  describeWebhook(profile);
}
