import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AnymailError, createSender } from "../../lib/index.js";

describe("Attachments from a URL (href, #21)", () => {
  let server: Server;
  let base = "";
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/files/report.pdf") {
        res.writeHead(200, { "Content-Type": "application/pdf" }).end("%PDF-1.7 report");
      } else if (req.url === "/big") {
        res.writeHead(200).end(Buffer.alloc(2048, 1));
      } else if (req.url === "/slow") {
        setTimeout(() => res.writeHead(200).end("late"), 2000);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const message = (href: string) => ({
    from: "f@example.com",
    to: "t@example.com",
    text: "x",
    attachments: [{ href }],
  });
  const failure = async (send: Promise<unknown>) => {
    let error: unknown;
    await send.catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailError);
    return (error as Error).message;
  };

  it("fetches the content, names it after the URL's last segment", async () => {
    const sender = createSender("test", { urlAccess: { protocols: ["http:"] } });
    await sender.send(message(`${base}/files/report.pdf`));
    const [attachment] = sender.outbox[0].anymailTestParams!.attachments;
    expect(attachment.filename).to.equal("report.pdf");
    expect(attachment.contentType).to.equal("application/pdf");
    expect(attachment.content.toString()).to.equal("%PDF-1.7 report");
  });

  it("allows only https: by default", async () => {
    const text = await failure(createSender("test").send(message(`${base}/files/report.pdf`)));
    expect(text).to.include("http: URLs are not allowed");
  });

  it("refuses content over the size limit, a slow answer, and an error status", async () => {
    const sender = createSender("test", {
      urlAccess: { protocols: ["http:"], maxBytes: 1024, timeoutMs: 300 },
    });
    expect(await failure(sender.send(message(`${base}/big`)))).to.include("larger than 1024");
    expect(await failure(sender.send(message(`${base}/slow`)))).to.include("longer than 300 ms");
    expect(await failure(sender.send(message(`${base}/missing`)))).to.include("HTTP 404");
  });

  it("decodes a data: URI without fetching", async () => {
    const sender = createSender("test");
    await sender.send(message("data:text/plain;base64,aGVsbG8="));
    expect(sender.outbox[0].anymailTestParams!.attachments[0].content.toString()).to.equal("hello");
  });
});
