import { expect } from "chai";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { createExampleApp } from "../../examples/express-app/app.js";
import { availableSamples } from "../../examples/express-app/samples.js";
import { CHROMIUM_ARGS, ensureChromium } from "../helpers/chromium.js";
import { skipBecause } from "../helpers/skip.js";

describe("Example app in a real browser", function () {
  this.timeout(900_000);
  let browser: Browser | undefined;
  let server: Server;
  let url: string;

  before(async function () {
    const executablePath = await ensureChromium();
    if (!executablePath) {
      skipBecause(this, "chromium is not available here (not root, or apt-get failed)");
    }
    const { app } = createExampleApp({ consoleStream: { write: () => true } });
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
  });

  it("sends a message through the form and shows its status", async () => {
    const page = await browser!.newPage();
    await page.goto(url);
    await page.fill("#to", "Browser Test <browser@example.com>");
    await page.fill("#subject", "From the browser");
    await page.click("#send-form button[type=submit]");
    await page.locator("#send-result", { hasText: '"sent"' }).waitFor();
    const result = await page.textContent("#send-result");
    expect(result).to.include("browser@example.com");
    await page.close();
  });

  it("simulates a webhook and sees the event appear", async function () {
    const sample = availableSamples()[0];
    if (!sample) skipBecause(this, "the example app has no webhook samples to simulate");
    const page = await browser!.newPage();
    await page.goto(url);
    await page.click(`button[data-sample="${sample!.id}"]`);
    await page.waitForSelector(".event-summary", { timeout: 15_000 });
    const summary = await page.textContent(".event-summary");
    expect(summary).to.match(/tracking|inbound/);
    await page.close();
  });
});
