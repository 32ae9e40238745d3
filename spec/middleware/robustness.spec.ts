import { expect } from "chai";
import fc from "fast-check";
import { basicAuthHeader, webhookApp } from "../helpers/webhooks.js";
import { fakeEsp } from "./fake-esp.js";
import { ALTERNATIVE, FORWARDED } from "../events/inbound-samples.js";

const esps = [fakeEsp];
const CONTENT_TYPES = [
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "multipart/form-data",
  "message/rfc822",
  "application/octet-stream",
];

describe("Webhook router: robustness", () => {
  it("[HOOK-08] never answers 500 (or crashes) whatever the body, type or route", async () => {
    const hook = webhookApp({ esps, limits: { body: 4096 } });
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom(...CONTENT_TYPES),
        fc.constantFrom("/fake/tracking/", "/fake/inbound/", "/fake/echo/", "/fake/"),
        async (bytes, contentType, path) => {
          const res = await hook
            .post(path)
            .set("Content-Type", contentType)
            .send(Buffer.from(bytes));
          expect(res.status).to.be.oneOf([200, 400, 413]);
        },
      ),
      { numRuns: 60, seed: 20261123 },
    );
  });

  it("[HOOK-08] parses any garbage as MIME without throwing", async () => {
    const hook = webhookApp({ esps });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        const res = await hook
          .post("/fake/inbound/")
          .set("Content-Type", "message/rfc822")
          .send(Buffer.from(text));
        expect(res.status).to.equal(200);
      }),
      { numRuns: 40, seed: 20261124 },
    );
  });
});

describe("Webhook router: Express 4", () => {
  it("[HOOK-01] receives multipart, raw MIME and JSON the same way in Express 4", async () => {
    const hook = webhookApp({ esps, webhookSecret: "u:p" }, { express: 4 });
    const auth = basicAuthHeader("u:p");
    await hook
      .post("/fake/echo/")
      .set("Authorization", auth)
      .field("a", "1")
      .attach("f", Buffer.from("x"), "ü.txt")
      .expect(200);
    await hook
      .post("/fake/inbound")
      .set("Authorization", auth)
      .set("Content-Type", "message/rfc822")
      .send(FORWARDED)
      .expect(200);
    const bad = await hook.post("/fake/echo/").set("Authorization", auth).type("json").send("{");
    expect(bad.status).to.equal(400);
    const echo = hook.tracking[0].espEvent as {
      form: Record<string, string[]>;
      files: Array<{ filename: string }>;
      basicAuthPassed: boolean;
    };
    expect(echo.form).to.deep.equal({ a: ["1"] });
    expect(echo.files[0].filename).to.equal("ü.txt");
    expect(echo.basicAuthPassed).to.equal(true);
    expect(hook.inbound[0].message.attachments[0].subject).to.equal("Invoice № 42");
  });

  it("[HOOK-40] delivers an inbound message to inbound listeners with the parsed message", async () => {
    const hook = webhookApp({ esps }, { express: 4 });
    await hook
      .post("/fake/inbound/")
      .set("Content-Type", "message/rfc822")
      .send(ALTERNATIVE)
      .expect(200);
    expect(hook.inbound).to.have.length(1);
    expect(hook.inbound[0].message.get("message-id")).to.equal("<order-1234@mail.example.org>");
  });
});
