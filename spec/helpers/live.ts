// A live send test against an ESP's real API, skipped unless its credentials are in the
// environment (ANYMAIL_TEST_<ESP>_…), so `npm test` never needs the network.
import { createSender, type AnymailStatus } from "../../lib/index.js";
import type { AnymailMessage } from "../../lib/sender/message.js";
import { skipBecause } from "./skip.js";

export interface LiveSendOptions {
  /** The registry name, e.g. "mailersend"; env vars are ANYMAIL_TEST_<NAME>_…. */
  esp: string;
  /** createSender option → the env var suffix that supplies it ("apiToken" → "API_TOKEN"). */
  settings: Record<string, string>;
  /** Defaults for ANYMAIL_TEST_<NAME>_FROM_EMAIL / _TO_EMAIL; without a from default it is required. */
  from?: string;
  to: string;
  /** Extra message fields. */
  message?: AnymailMessage;
  /** Checks the status the real API gave for `to`. */
  check(status: AnymailStatus, to: string): void;
}

/** `describe` when every setting (and the from address) is in the environment, else `describe.skip`. */
export function describeLiveSend(title: string, options: LiveSendOptions): void {
  const prefix = `ANYMAIL_TEST_${options.esp.toUpperCase()}_`;
  const env = (suffix: string) => process.env[prefix + suffix] || undefined;
  const settings = Object.fromEntries(
    Object.entries(options.settings).map(([option, suffix]) => [option, env(suffix)]),
  );
  const from = env("FROM_EMAIL") ?? options.from;
  const to = env("TO_EMAIL") ?? options.to;
  const ready = from !== undefined && Object.values(settings).every((v) => v !== undefined);

  const missing = [
    ...Object.values(options.settings).filter((suffix) => env(suffix) === undefined),
    ...(from === undefined ? ["FROM_EMAIL"] : []),
  ].map((suffix) => prefix + suffix);
  describe(title, function () {
    this.timeout(30_000);
    before(function () {
      if (!ready) skipBecause(this, `live API: ${missing.join(", ")} not set`);
    });

    it("sends a message through the real API", async () => {
      // the ESP name is a runtime string here: createSender checks it and its options
      const sender = createSender(options.esp, { ...settings, env: {} });
      try {
        const status = await sender.send({
          from,
          to,
          subject: "Anymail live test ☺",
          text: "Sent by anymail's live test.",
          ...options.message,
        });
        options.check(status, to);
      } finally {
        await sender.close();
      }
    });
  });
}
