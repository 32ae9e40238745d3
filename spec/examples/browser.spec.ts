import { expect } from "chai";
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { createExampleApp } from "../../examples/express-app/app.js";
import { availableSamples } from "../../examples/express-app/samples.js";
import { CHROMIUM_ARGS, ensureChromium } from "../helpers/chromium.js";
import { skipBecause } from "../helpers/skip.js";

// The page-side callbacks below run in Chromium; the project's types have no DOM lib, so
// these name the little of it they use.
interface PageElement {
  id: string;
  tagName: string;
  className: string;
  textContent: string | null;
  outerHTML: string;
  dataset: Record<string, string | undefined>;
  parentElement: PageElement | null;
  offsetParent: unknown;
  labels?: ArrayLike<unknown> | null;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
  activeElement: PageElement | null;
  documentElement: PageElement;
};
declare const window: { pwned?: number };
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare function getComputedStyle(el: PageElement): { color: string; backgroundColor: string };

/** Screenshots are test artifacts (coverage/ is gitignored); README's is copied from here. */
const SHOTS = "coverage/screenshots";
const WIDTHS = { desktop: 1280, phone: 390 } as const;

describe("Example app in a real browser", function () {
  this.timeout(900_000);
  let browser: Browser | undefined;
  let server: Server;
  let url: string;
  let webhookSecret: string;

  before(async function () {
    const executablePath = await ensureChromium();
    if (!executablePath) {
      skipBecause(this, "chromium is not available here (not root, or apt-get failed)");
    }
    mkdirSync(SHOTS, { recursive: true });
    const example = createExampleApp({ consoleStream: { write: () => true } });
    webhookSecret = example.webhookSecret;
    server = example.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
  });

  async function open(width: number = WIDTHS.desktop, at = url): Promise<Page> {
    // reduced motion: no highlight fading in the screenshots
    const context = await browser!.newContext({
      viewport: { width, height: 900 },
      reducedMotion: "reduce",
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: at });
    // tsx compiles with keepNames, so page-side callbacks call esbuild's __name helper
    await context.addInitScript("globalThis.__name = (f) => f;");
    const page = await context.newPage();
    page.on("pageerror", (error) => {
      throw error;
    });
    await page.goto(at);
    return page;
  }

  async function simulate(page: Page, id: string) {
    const before = await page.locator("#events tr").count();
    await page.click(`button[data-sample="${id}"]`);
    await page.locator("#simulate-status", { hasText: "answered" }).waitFor();
    expect(await page.textContent("#simulate-status")).to.match(/answered 200, [1-9]\d* events?/);
    await page.waitForFunction((n) => document.querySelectorAll("#events tr").length > n, before);
  }

  async function send(page: Page, fields: Record<string, string>) {
    for (const [name, value] of Object.entries(fields)) await page.fill(`#${name}`, value);
    await page.click("#send-form button[type=submit]");
    await page.locator("#send-status", { hasText: /Sent|Not sent/ }).waitFor();
  }

  it("sends from the form: a status line, the per-recipient table, and the console's message", async () => {
    const page = await open();
    await send(page, {
      to: "Browser Test <browser@example.com>, second@example.com",
      subject: "From the <b>browser</b>",
    });
    const status = await page.textContent("#send-status");
    expect(status).to.match(/^Sent to 2 recipients · message id [0-9a-f-]{36}$/);
    const rows = await page.locator("#recipients tbody tr").allTextContents();
    expect(rows).to.have.length(2);
    expect(rows[0]).to.include("browser@example.com").and.include("sent");
    // the console ESP's printout, escaped: the subject's markup shows as text
    const printed = await page.textContent("#preview details.printed pre");
    expect(printed).to.include("Subject: From the <b>browser</b>");
    expect(await page.locator("#preview b").count()).to.equal(0);
    // the HTML body renders in a sandboxed frame
    await page.click("#preview summary:text('HTML')");
    const frame = page.locator("#preview iframe.mail");
    expect(await frame.getAttribute("sandbox")).to.equal("");
    expect(await frame.contentFrame().locator("b").textContent()).to.equal("works");
    await page.context().close();
  });

  it("says which field a send error concerns, in words, without overflowing", async () => {
    const page = await open(WIDTHS.phone);
    await send(page, { to: "Widgets, Inc. <w@example.com>" });
    expect(await page.textContent("#send-status")).to.match(
      /^Not sent: To: Invalid email address "Widgets"/,
    );
    expect(await page.getAttribute("#to", "aria-invalid")).to.equal("true");
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("to");
    expect(await page.isVisible("#to-error")).to.equal(true);
    const fits = await page.$eval("#send-status", (el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits, "the error wraps inside its box").to.equal(true);
    // fixing the field clears the error on the next send
    await send(page, { to: "fixed@example.com" });
    expect(await page.getAttribute("#to", "aria-invalid")).to.equal(null);
    await page.context().close();
  });

  it("simulates every ESP and route; events arrive newest first with time, badge and recipient", async () => {
    const page = await open();
    for (const sample of availableSamples()) {
      await simulate(page, sample.id);
      const first = page.locator("#events tr").first();
      const esp = await first.getAttribute("data-esp");
      expect(esp!.toLowerCase().replace(/\W/g, ""), sample.id).to.equal(
        sample.esp.replace(/_/g, ""),
      );
      expect(await first.locator("td.time").textContent()).to.match(/^\d\d:\d\d:\d\d$/);
      expect(await first.locator(".badge").count()).to.equal(1);
    }
    const types = await page
      .locator("#events tr")
      .evaluateAll((rows) => rows.map((row) => (row as unknown as PageElement).dataset.type));
    expect(types).to.include.members(["delivered", "opened", "inbound"]);
    // the newest row is in view without scrolling
    expect(await page.locator("#events tr").first().isVisible()).to.equal(true);
    const top = await page.locator("#events tr").first().boundingBox();
    expect(top!.y + top!.height).to.be.lessThan(900);
    await page.context().close();
  });

  it("links events to the message sent from the page, by message id", async () => {
    const page = await open();
    await send(page, { to: "linked@example.com", subject: "Linked message" });
    const sample = availableSamples().find((s) => s.id === "postmark-tracking")!;
    await simulate(page, sample.id);
    const row = page.locator("#events tr").first();
    expect(await row.locator(".linked").textContent()).to.equal("sent here");
    expect(await row.textContent()).to.include("linked@example.com");
    expect(await page.locator("#send-events .badge").allTextContents()).to.deep.equal([
      "delivered",
    ]);
    await page.context().close();
  });

  it("filters by ESP and type, searches, and charts counts per type", async () => {
    const page = await open();
    await send(page, { to: "filtered@example.com" });
    for (const sample of availableSamples().slice(0, 8)) await simulate(page, sample.id);
    const esps = await page.locator("#filter-esp option").allTextContents();
    expect(esps.length).to.be.greaterThan(3);
    await page.selectOption("#filter-esp", esps[1]);
    const shown = await page
      .locator("#events tr")
      .evaluateAll((rows) => rows.map((row) => (row as unknown as PageElement).dataset.esp));
    expect(shown.length).to.be.greaterThan(0);
    expect(new Set(shown)).to.deep.equal(new Set([esps[1]]));
    await page.selectOption("#filter-esp", "");
    await page.selectOption("#filter-type", "inbound");
    const inbound = await page
      .locator("#events tr")
      .evaluateAll((rows) => rows.map((row) => (row as unknown as PageElement).dataset.type));
    expect(inbound.length).to.be.greaterThan(3);
    expect(new Set(inbound)).to.deep.equal(new Set(["inbound"]));
    await page.selectOption("#filter-type", "");
    await page.fill("#filter-search", "filtered@example.com");
    const found = await page.locator("#events tr").allTextContents();
    expect(found.length).to.be.greaterThan(0);
    for (const text of found) expect(text).to.include("filtered@example.com");
    expect(await page.textContent("#event-count")).to.match(/\(\d+ shown\)/);
    await page.fill("#filter-search", "no such thing anywhere");
    expect(await page.textContent("#events-empty")).to.equal("No events match the filters.");
    // chart: stacked bars, legend in the order of a message's life
    expect(await page.locator("#chart rect").count()).to.be.greaterThan(0);
    const legend = await page.textContent("#chart-legend");
    expect(legend).to.match(/delivered \d+.*opened \d+.*inbound \d+/);
    await page.context().close();
  });

  it("opens an event's drawer by keyboard: normalized event, raw espEvent, sanitized inbound, downloads", async () => {
    const page = await open();
    await page.selectOption("#filter-type", "inbound");
    await page.fill("#filter-search", "postmark");
    const opener = page.locator("#events tr").first().locator("td.time button");
    await opener.focus();
    await page.keyboard.press("Enter");
    await page.locator("#drawer[open]").waitFor();
    const normalized = JSON.parse((await page.textContent("#drawer pre.normalized"))!);
    expect(normalized).to.include({
      eventType: "inbound",
      subject: "Sample inbound with an attachment",
    });
    const raw = JSON.parse((await page.textContent("#drawer pre.raw"))!);
    expect(raw).to.have.property("FromFull");
    const frame = page.locator("#drawer iframe.mail");
    expect(await frame.getAttribute("sandbox")).to.equal("");
    const body = frame.contentFrame().locator("body");
    expect(await body.locator("b").textContent()).to.equal("sample inbound");
    expect(await body.locator("script").count()).to.equal(0);
    expect(await body.locator("img[src*=tracker]").count()).to.equal(0);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#drawer a.attachment"),
    ]);
    expect(download.suggestedFilename()).to.equal("notes.txt");
    await page.keyboard.press("Escape");
    expect(await page.locator("#drawer[open]").count()).to.equal(0);
    expect(await opener.evaluate((el) => el === document.activeElement)).to.equal(true);
    await page.context().close();
  });

  it("escapes what ESPs send: hostile fields show as text and run nothing", async () => {
    const page = await open();
    const hostile = `"<img src=x onerror=window.pwned=1>"@example.com`;
    const answer = await page.evaluate(
      async ([secret, recipient]) => {
        const res = await fetch("/anymail/postmark/tracking/", {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Basic ${btoa(secret)}` },
          body: JSON.stringify({
            RecordType: "Bounce",
            Type: "HardBounce",
            MessageID: "<script>window.pwned=2</script>",
            Email: recipient,
            BouncedAt: new Date().toISOString(),
            Description: "<b>bold?</b>",
          }),
        });
        return res.status;
      },
      [webhookSecret, hostile] as const,
    );
    expect(answer).to.equal(200);
    await page.locator("#events tr[data-type=bounced]").first().waitFor();
    const row = page.locator("#events tr[data-type=bounced]").first();
    expect(await row.textContent()).to.include("<script>window.pwned=2</script>");
    expect(await row.locator("img, script").count()).to.equal(0);
    expect(await page.evaluate(() => window.pwned)).to.equal(undefined);
    await page.context().close();
  });

  it("shows webhook URLs with the secret masked, and copies them in full", async () => {
    const page = await open();
    const [user, password] = webhookSecret.split(":");
    const text = await page.textContent("body");
    expect(text).not.to.include(password);
    expect(text).not.to.include(user);
    const urls = await page.locator("#health code.url").allTextContents();
    expect(urls.length).to.be.greaterThanOrEqual(availableSamples().length - 3);
    expect(urls[0]).to.match(/^http:\/\/\w\w•+:•+@127\.0\.0\.1:\d+\/anymail\//);
    await page.locator("#health button.copy").first().click();
    await page.locator("#copy-status", { hasText: "Copied" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).to.equal(urls[0].replace(/\w\w•+:•+/, webhookSecret));
    await page.context().close();
  });

  it("is usable at 390 px and 1280 px: labelled controls, no sideways scroll, readable contrast", async () => {
    for (const [name, width] of Object.entries(WIDTHS)) {
      const page = await open(width);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name}: horizontal overflow`).to.be.at.most(0);
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll("input, select, textarea, button")]
          .filter((el) => {
            const control = el;
            const named =
              control.labels?.length ||
              control.getAttribute("aria-label") ||
              (el.tagName === "BUTTON" && el.textContent!.trim());
            return !named;
          })
          .map((el) => el.outerHTML),
      );
      expect(unlabelled, `${name}: controls without a label`).to.deep.equal([]);
      const lowContrast = await page.evaluate(() => {
        const rgb = (css: string) =>
          css
            .match(/\d+(\.\d+)?/g)!
            .slice(0, 3)
            .map(Number);
        const lum = (c: number[]) => {
          const [r, g, b] = c.map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const background = (el: PageElement | null): string => {
          for (; el; el = el.parentElement) {
            const bg = getComputedStyle(el).backgroundColor;
            if (bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") return bg;
          }
          return "rgb(255, 255, 255)";
        };
        const bad: string[] = [];
        for (const el of document.querySelectorAll(
          "h1, h2, h3, p, label, th, td, button, a, .badge, .muted, .legend span, summary",
        )) {
          if (!el.offsetParent || !el.textContent!.trim()) continue;
          const fg = lum(rgb(getComputedStyle(el).color));
          const bg = lum(rgb(background(el)));
          const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
          if (ratio < 4.5) bad.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}`);
        }
        return bad;
      });
      expect(lowContrast, `${name}: text below 4.5:1`).to.deep.equal([]);
      await page.context().close();
    }
  });

  it("keyboard: Tab reaches the simulate buttons and Enter presses them", async () => {
    const page = await open();
    const first = availableSamples()[0];
    await page.focus(`button[data-sample="${first.id}"]`);
    const before = await page.locator("#events tr").count();
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll("#events tr").length > n, before);
    await page.keyboard.press("Tab");
    const next = await page.evaluate(() => document.activeElement!.dataset.sample);
    expect(next).to.equal(availableSamples()[1].id);
    await page.context().close();
  });

  it("writes screenshots at 1280 px and 390 px", async () => {
    // a fresh app, so the pictures show one story: a message sent, then its events
    const fresh = createExampleApp({ consoleStream: { write: () => true } });
    const own = fresh.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => own.once("listening", resolve));
    const freshUrl = `http://127.0.0.1:${(own.address() as AddressInfo).port}/`;
    try {
      for (const [name, width] of Object.entries(WIDTHS)) {
        const page = await open(width, freshUrl);
        if (name === "desktop") {
          await send(page, { to: "Ada <ada@example.com>, grace@example.com", subject: "Welcome!" });
          for (const id of ["postmark-inbound", "sendgrid-tracking", "mailgun-tracking"]) {
            if (availableSamples().some((s) => s.id === id)) await simulate(page, id);
          }
        } else {
          await page.locator("#events tr").first().waitFor();
        }
        await page.locator("body").click({ position: { x: 1, y: 1 } });
        await page.screenshot({ path: `${SHOTS}/example-app-${name}.png` });
        await page.screenshot({ path: `${SHOTS}/example-app-${name}-full.png`, fullPage: true });
        await page.locator("#events tr[data-type=inbound] td.time button").first().click();
        await page.locator("#drawer[open]").waitFor();
        await page.screenshot({ path: `${SHOTS}/example-app-${name}-drawer.png` });
        await page.context().close();
      }
    } finally {
      own.closeAllConnections();
      own.close();
    }
  });
});
