// The send kit over every registered ESP: each ESP that sends over HTTP enrolls with a
// profile in spec/kits/send/<esp>.ts, listed in PROFILES (spec/kits/send/index.ts); one without a profile fails here
// by name. (Static imports on purpose: importing profiles dynamically loaded a second copy
// of lib/ beside the one the other specs share, and c8 then under-counted its coverage.)
import { expect } from "chai";
import { listAdapters, findAdapter } from "../../lib/esps/registry.js";
import { describeHttpSend } from "../helpers/describe-http-send.js";
import { PROFILES } from "./send/index.js";

/** Registered ESPs that do not send over an HTTP API of their own, and why. */
export const EXEMPT: Readonly<Record<string, string>> = {
  amazon_ses:
    "sends through the AWS SDK's SESv2 client, not an HTTP API of its own (spec/esps/amazon-ses)",
  test: "sends nowhere: messages go to the sender's in-memory outbox",
  console: "sends nowhere: messages are printed",
};

const enrolled = listAdapters()
  .filter((adapter) => !(adapter.name in EXEMPT))
  .map((adapter) => ({
    esp: adapter.name,
    profile: PROFILES.find((profile) => profile.esp === adapter.name),
  }));

describe("send kit enrollment", () => {
  for (const { esp, profile } of enrolled) {
    it(`${esp} has a send-kit profile (spec/kits/send/${esp}.ts)`, () => {
      expect(
        profile,
        `${esp} is registered but has no send-kit profile: add spec/kits/send/${esp}.ts to PROFILES in spec/kits/send/index.ts, or exempt it with a reason`,
      ).to.not.equal(undefined);
      expect(profile?.esp).to.equal(esp);
    });
  }

  it("every exemption and every profile names a registered ESP", () => {
    for (const esp of Object.keys(EXEMPT)) expect(findAdapter(esp), esp).to.not.equal(undefined);
    for (const { esp } of PROFILES) expect(findAdapter(esp), esp).to.not.equal(undefined);
  });
});

for (const { profile } of enrolled) if (profile) describeHttpSend(profile);
