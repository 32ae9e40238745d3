/**
 * @module
 * `npm run start:queue`: the example app with its webhooks going through a BullMQ queue on
 * Redis (REDIS_URL, default redis://127.0.0.1:6379). The router stores each event and answers;
 * a worker in the same process takes it from the queue and shows it on the page. In
 * production, run receivers and workers as separate processes (docs/scaling.md).
 */
import { processEvents, queueEvents } from "anymail/queue";
import { createExampleApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const connection = {
  host: redisUrl.hostname,
  port: Number(redisUrl.port || 6379),
  ...(redisUrl.password ? { password: decodeURIComponent(redisUrl.password) } : {}),
};

const sink = queueEvents(connection);
const { app, emitter, webhookSecret } = createExampleApp({ webhookEmitter: sink });
const worker = await processEvents(connection, {
  tracking: (event, espName) => emitter.dispatch("tracking", event, espName),
  inbound: (event, espName) => emitter.dispatch("inbound", event, espName),
});

const server = app.listen(port, "127.0.0.1", () => {
  const shown = process.env.ANYMAIL_WEBHOOK_SECRET ? "<user>:<password>" : webhookSecret;
  console.log(
    `anymail example app (queued webhooks via ${redisUrl.host}): http://localhost:${port}/`,
  );
  console.log(`  tracking: http://${shown}@localhost:${port}/anymail/<esp>/tracking/`);
  console.log(`  inbound:  http://${shown}@localhost:${port}/anymail/<esp>/inbound/`);
});

// graceful shutdown: stop taking webhooks, finish the events in hand, then leave
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void Promise.all([worker.close(), sink.close()]).then(() => process.exit(0));
  });
}
