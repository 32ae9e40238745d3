// Checks that each message is refused with AnymailUnsupportedFeature naming its feature.
import { expect } from "chai";
import { AnymailUnsupportedFeature } from "../../lib/errors.js";
import type { AnymailMessage } from "../../lib/sender/message.js";
import { rejectionOf } from "./rejection.js";

/** Each `[message, feature]`: `send(message)` rejects with AnymailUnsupportedFeature matching `feature`. */
export async function expectEachUnsupported(
  send: (message: AnymailMessage) => Promise<unknown>,
  cases: readonly (readonly [AnymailMessage, RegExp])[],
): Promise<void> {
  for (const [message, feature] of cases) {
    const error = await rejectionOf(send(message));
    expect(error, feature.source).to.be.instanceOf(AnymailUnsupportedFeature);
    expect(String(error)).to.match(feature);
  }
}
