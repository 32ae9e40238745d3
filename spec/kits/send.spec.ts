// The send kit over every registered ESP: each ESP that sends over HTTP enrolls with a
// profile in spec/kits/send/<esp>.ts; one without a profile fails here by name.
import { existsSync } from "node:fs";
import { expect } from "chai";
import { listAdapters, findAdapter } from "../../lib/esps/registry.js";
import { describeHttpSend, type HttpSendProfile } from "../helpers/describe-http-send.js";

/** Registered ESPs that do not send over an HTTP API of their own, and why. */
export const EXEMPT: Readonly<Record<string, string>> = {
  amazon_ses:
    "sends through the AWS SDK's SESv2 client, not an HTTP API of its own (spec/esps/amazon-ses)",
  test: "sends nowhere: messages go to the sender's in-memory outbox",
  console: "sends nowhere: messages are printed",
};

function profilePath(esp: string): URL {
  return new URL(`./send/${esp}.ts`, import.meta.url);
}

const enrolled: Array<{ esp: string; profile?: HttpSendProfile }> = [];
for (const adapter of listAdapters()) {
  if (adapter.name in EXEMPT) continue;
  const path = profilePath(adapter.name);
  const module = existsSync(path)
    ? ((await import(path.href)) as { profile?: HttpSendProfile })
    : undefined;
  enrolled.push({ esp: adapter.name, profile: module?.profile });
}

describe("send kit enrollment", () => {
  for (const { esp, profile } of enrolled) {
    it(`${esp} has a send-kit profile (spec/kits/send/${esp}.ts)`, () => {
      expect(
        profile,
        `${esp} is registered but has no send-kit profile: add one, or exempt it with a reason`,
      ).to.not.equal(undefined);
      expect(profile?.esp).to.equal(esp);
    });
  }

  it("every exemption names a registered ESP", () => {
    for (const esp of Object.keys(EXEMPT)) expect(findAdapter(esp), esp).to.not.equal(undefined);
  });
});

for (const { profile } of enrolled) if (profile) describeHttpSend(profile);
