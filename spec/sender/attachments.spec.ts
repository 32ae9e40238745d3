import { expect } from "chai";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  AnymailError,
  attachInlineImage,
  attachInlineImageFile,
  createSender,
  type AnymailMessage,
} from "../../lib/index.js";
import { detectImageSubtype } from "../../lib/sender/inline-images.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const JPEG = Buffer.from("ffd8ffe000104a464946", "hex");
const base = (): AnymailMessage => ({
  from: "from@example.com",
  to: "to@example.com",
  subject: "s",
  text: "t",
});

describe("Attachments and inline images", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "anymail-"));
    await writeFile(join(dir, "report.pdf"), "%PDF-1.4 fake");
    await writeFile(join(dir, "picture.jpg"), JPEG);
  });

  it("[CORE-19] sends filename, content and content type", async () => {
    const sender = createSender("test");
    await sender.send({
      ...base(),
      attachments: [
        { filename: "a.txt", content: "hello", contentType: "text/plain" },
        { filename: "b.bin", content: "aGk=", encoding: "base64" },
      ],
    });
    const [a, b] = sender.outbox[0].anymailTestParams!.attachments;
    expect(a).to.deep.include({
      filename: "a.txt",
      contentType: "text/plain",
      inline: false,
      cid: null,
    });
    expect(a.content.toString()).to.equal("hello");
    expect(b.content.toString()).to.equal("hi");
    expect(b.contentType).to.equal("application/octet-stream");
  });

  it("[CORE-20] reads a path attachment under its basename, guessing the type", async () => {
    const sender = createSender("test");
    await sender.send({ ...base(), attachments: [{ path: join(dir, "report.pdf") }] });
    const [a] = sender.outbox[0].anymailTestParams!.attachments;
    expect(a.filename).to.equal("report.pdf");
    expect(a.contentType).to.equal("application/pdf");
    expect(a.content.toString()).to.equal("%PDF-1.4 fake");
    let error: unknown;
    await sender
      .send({ ...base(), attachments: [{ path: join(dir, "missing.txt") }] })
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailError);
    let empty: unknown;
    await sender
      .send({ ...base(), attachments: [{ filename: "x" }] })
      .catch((e: unknown) => (empty = e));
    expect((empty as Error).message).to.include("neither content nor path");
  });

  it("[CORE-19] reads content given as a stream (nodemailer's form) to its end", async () => {
    const sender = createSender("test");
    await sender.send({
      ...base(),
      attachments: [{ filename: "s.csv", content: Readable.from(["a,b\n", Buffer.from("1,2\n")]) }],
    });
    const [a] = sender.outbox[0].anymailTestParams!.attachments;
    expect(a).to.deep.include({ filename: "s.csv", contentType: "text/csv" });
    expect(a.content.toString()).to.equal("a,b\n1,2\n");
    const broken = new Readable({
      read() {
        this.destroy(new Error("disk gone"));
      },
    });
    let error: unknown;
    await sender
      .send({ ...base(), attachments: [{ filename: "x", content: broken }] })
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailError);
    expect((error as Error).message).to.equal("Cannot read attachment 0 from its stream");
  });

  it("[CORE-21] [CORE-22] [CORE-23] inline by disposition, or by a cid without disposition", async () => {
    const sender = createSender("test");
    await sender.send({
      ...base(),
      attachments: [
        { filename: "i.png", content: PNG, contentDisposition: "inline" },
        { filename: "c.png", content: PNG, cid: "<logo@example>" },
        { filename: "d.png", content: PNG, cid: "x@y", contentDisposition: "attachment" },
        { filename: "plain.txt", content: "x" },
      ],
    });
    const atts = sender.outbox[0].anymailTestParams!.attachments;
    expect(atts.map((a) => a.inline)).to.deep.equal([true, true, false, false]);
    expect(atts[1].cid).to.equal("logo@example");
  });

  it("[CORE-24] a forwarded message/rfc822 attachment sends", async () => {
    const sender = createSender("test");
    await sender.send({
      ...base(),
      attachments: [
        {
          filename: "fwd.eml",
          content: "From: a@example.com\r\nSubject: x\r\n\r\nbody",
          contentType: "message/rfc822",
        },
      ],
    });
    expect(sender.outbox[0].anymailTestParams!.attachments[0].contentType).to.equal(
      "message/rfc822",
    );
  });

  it("[CORE-25] [CORE-26] attachInlineImageFile attaches inline with basename and returns a bare cid", async () => {
    const message = base();
    const cid = await attachInlineImageFile(message, join(dir, "picture.jpg"));
    expect(cid).to.not.match(/[<>]/);
    message.html = `<img src="cid:${cid}">`;
    const sender = createSender("test");
    await sender.send(message);
    const [a] = sender.outbox[0].anymailTestParams!.attachments;
    expect(a).to.deep.include({
      filename: "picture.jpg",
      contentType: "image/jpeg",
      cid,
      inline: true,
    });
  });

  it("[CORE-26] detects the subtype from content; a given subtype wins", () => {
    const message = base();
    attachInlineImage(message, PNG, "x");
    attachInlineImage(message, PNG, "y", "gif");
    expect(message.attachments!.map((a) => a.contentType)).to.deep.equal([
      "image/png",
      "image/gif",
    ]);
    expect(detectImageSubtype(Buffer.from("GIF89a"))).to.equal("gif");
    expect(detectImageSubtype(Buffer.from("<svg xmlns='x'></svg>"))).to.equal("svg+xml");
    expect(detectImageSubtype(Buffer.from("nothing"))).to.equal("octet-stream");
  });

  it("[CORE-27] the cid domain is 'inline' by default; idstring/domain appear; ids are unique", () => {
    const message = base();
    const a = attachInlineImage(message, PNG);
    const b = attachInlineImage(message, PNG);
    const c = attachInlineImage(message, PNG, null, null, "logo", "example.com");
    expect(a).to.match(/\.img@inline$/);
    expect(a).to.not.equal(b);
    expect(c).to.match(/\.logo@example\.com$/);
  });

  it("[CORE-28] [CORE-29] attachInlineImage works without a filename and with every sender", async () => {
    for (const esp of ["test", "console"]) {
      const message = base();
      const cid = attachInlineImage(message, PNG);
      const sender = createSender(esp, esp === "console" ? { stream: { write: () => true } } : {});
      const status = await sender.send(message);
      expect(status.status).to.deep.equal(new Set(["sent"]));
      expect(message.attachments![0]).to.deep.include({
        filename: null,
        cid,
        contentDisposition: "inline",
      });
    }
  });
});
