import { expect } from "chai";
import { createServer, type AddressInfo } from "node:net";
import { AnymailWebhookUnavailable } from "../../lib/errors.js";
import { AnymailEmitter } from "../../lib/events/emitter.js";
import { queueEvents } from "../../lib/queue/event-sink.js";
import { webhookApp } from "../helpers/webhooks.js";
import { queueTestEsp } from "./queue-esp.js";

const EVENT = [{ type: "delivered", id: "e-1", recipient: "a@example.com" }];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Queue: webhooks answer 503 when events cannot be stored", function () {
  this.timeout(10_000);

  it("a listener throwing AnymailWebhookUnavailable answers 503 with Retry-After, not 400", async () => {
    const emitter = new AnymailEmitter();
    emitter.on("tracking", () => {
      throw new AnymailWebhookUnavailable("database is down", { retryAfter: 12 });
    });
    const hook = webhookApp({ esps: [queueTestEsp], emitter });
    const res = await hook.post("/queuetest/tracking/").send(EVENT);
    expect(res.status).to.equal(503);
    expect(res.headers["retry-after"]).to.equal("12");
    expect(hook.logs.warn.join("\n")).to.match(/503/);
  });

  it("any other listener error still answers 400", async () => {
    const emitter = new AnymailEmitter();
    emitter.on("tracking", () => {
      throw new Error("bug");
    });
    const hook = webhookApp({ esps: [queueTestEsp], emitter });
    const res = await hook.post("/queuetest/tracking/").send(EVENT);
    expect(res.status).to.equal(400);
    expect(res.headers["retry-after"]).to.equal(undefined);
  });

  it("the queue sink answers 503 while Redis cannot be reached", async () => {
    const sink = queueEvents({ host: "127.0.0.1", port: await closedPort() }, { addTimeout: 300 });
    const local: unknown[] = [];
    sink.on("tracking", (event) => void local.push(event));
    try {
      const hook = webhookApp({ esps: [queueTestEsp], emitter: sink });
      const res = await hook.post("/queuetest/tracking/").send(EVENT);
      expect(res.status).to.equal(503);
      expect(res.headers["retry-after"]).to.equal("30");
      expect(res.text).to.match(/cannot be queued now/);
      // local listeners only hear about stored events
      expect(local).to.have.length(0);
    } finally {
      await sink.close();
    }
  });
});
