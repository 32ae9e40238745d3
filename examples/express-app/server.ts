/**
 * @module
 * `npm start`: runs the example app on localhost (port from PORT, default 3000).
 */
import { createExampleApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
const { app, sender, webhookSecret } = createExampleApp();

app.listen(port, "127.0.0.1", () => {
  // a secret from the environment is never printed
  const shown = process.env.ANYMAIL_WEBHOOK_SECRET ? "<user>:<password>" : webhookSecret;
  const base = `http://${shown}@localhost:${port}/anymail`;
  console.log(
    `anymail example app: http://localhost:${port}/  (sending through ${sender.espName})`,
  );
  if (!process.env.ANYMAIL_WEBHOOK_SECRET) {
    console.log(
      `Generated webhook secret: ${webhookSecret} (set ANYMAIL_WEBHOOK_SECRET to keep one)`,
    );
  }
  console.log(`Give your ESP these webhook URLs (behind https in production):`);
  console.log(`  tracking: ${base}/<esp>/tracking/`);
  console.log(`  inbound:  ${base}/<esp>/inbound/`);
});
