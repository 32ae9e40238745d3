import { expect } from "chai";
import { AsyncLocalStorage } from "node:async_hooks";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { request as undiciRequest } from "undici";
import { AnymailAPIError } from "../../lib/index.js";
import { HttpClient } from "../../lib/sender/http.js";
import { Targets } from "../../lib/sender/dispatch.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A plain Node server whose answer each test writes by hand. */
async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("HTTP client's pooled transport (undici dispatch, loopback)", () => {
  let server: Server | undefined;
  let serverUrl = "";
  let client: HttpClient;
  beforeEach(() => {
    client = new HttpClient({ espName: "FakeHTTP", timeout: 5, secrets: ["sekrit-key-123"] });
  });
  afterEach(async () => {
    await client.close();
    server?.close();
    server = undefined;
  });

  /** What undici.request reads from the same server: the transport must agree with it. */
  async function viaUndici(url: string) {
    const res = await undiciRequest(url, { method: "POST", body: "{}" });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  it("reads an answer that arrives in many chunks, a multi-byte character split between them", async () => {
    // 3-byte characters written 1 byte at a time at the seams: the text is decoded only once whole
    const text = `{"note": "${"€".repeat(40_000)}"}`;
    const bytes = Buffer.from(text, "utf8");
    ({ server, url: serverUrl } = await serve((_req, res, _body) => {
      res.writeHead(200, { "content-type": "application/json" });
      for (let at = 0; at < bytes.length; at += 7001) res.write(bytes.subarray(at, at + 7001));
      res.end();
    }));
    const response = await client.request({ url: `${serverUrl}/send`, body: "{}" });
    expect(response.status).to.equal(200);
    expect(response.text).to.equal(text);
    expect(response.text).to.equal((await viaUndici(serverUrl)).text);
  });

  it("drops a UTF-8 byte order mark as undici's text() does, and keeps an empty answer empty", async () => {
    let answer = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"ß"}')]);
    ({ server, url: serverUrl } = await serve((_req, res) => res.end(answer)));
    const response = await client.request({ url: `${serverUrl}/send`, body: "{}" });
    expect(response.text).to.equal('{"id":"ß"}');
    expect(response.json).to.deep.equal({ id: "ß" });
    expect((await viaUndici(serverUrl)).text).to.equal(response.text);
    answer = Buffer.alloc(0);
    expect((await client.request({ url: `${serverUrl}/send`, body: "{}" })).text).to.equal("");
  });

  it("lower-cases header names and joins a repeated header with commas", async () => {
    ({ server, url: serverUrl } = await serve((_req, res) => {
      res.setHeader("X-Request-Id", "r-1");
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.setHeader("Warning", ["199 - one", "199 - two"]);
      res.end("{}");
    }));
    const response = await client.request({ url: `${serverUrl}/send`, body: "{}" });
    expect(response.headers["x-request-id"]).to.equal("r-1");
    expect(response.headers["set-cookie"]).to.equal("a=1, b=2");
    expect(response.headers.warning).to.equal("199 - one, 199 - two");
    expect(Object.keys(response.headers).every((name) => name === name.toLowerCase())).to.equal(
      true,
    );
  });

  it("skips informational 1xx answers and reads the final one, with only its headers", async () => {
    ({ server, url: serverUrl } = await serve((_req, res) => {
      res.writeProcessing();
      res.writeEarlyHints({ link: "</style.css>; rel=preload; as=style" });
      res.writeHead(201, { "content-type": "application/json" });
      res.end('{"id":"after-102"}');
    }));
    const response = await client.request({ url: `${serverUrl}/send`, body: "{}" });
    expect(response.status).to.equal(201);
    expect(response.json).to.deep.equal({ id: "after-102" });
    expect(response.headers).to.not.have.property("link");
    expect(response.headers["content-type"]).to.equal("application/json");
  });

  it("sends path and query as given, for many URLs on one pool (the parsed-URL memory is bounded)", async () => {
    const seen: string[] = [];
    ({ server, url: serverUrl } = await serve((req, res, body) => {
      seen.push(`${req.method} ${req.url} ${body.toString()}`);
      res.end(JSON.stringify({ path: req.url }));
    }));
    const urls = Array.from(
      { length: 80 },
      (_, i) => `${serverUrl}/v3/d${i}.example.com/messages?tag=%C3%A9&n=${i}`,
    );
    for (const [i, url] of urls.entries()) {
      const response = await client.request({ url, body: `{"n":${i}}` });
      expect(response.json).to.deep.equal({ path: url.slice(serverUrl.length) });
    }
    expect(seen[79]).to.equal(`POST /v3/d79.example.com/messages?tag=%C3%A9&n=79 {"n":79}`);
    // a GET without a body, on a URL seen before
    const again = await client.request({ method: "GET", url: urls[3] });
    expect(again.json).to.deep.equal({ path: urls[3].slice(serverUrl.length) });
    expect(seen.at(-1)).to.equal(`GET ${urls[3].slice(serverUrl.length)} `);
  });

  it("keeps the caller's async context across the send (AsyncLocalStorage)", async () => {
    ({ server, url: serverUrl } = await serve((_req, res) => setTimeout(() => res.end("{}"), 5)));
    const store = new AsyncLocalStorage<string>();
    const seen = await Promise.all(
      ["a", "b", "c"].map((name) =>
        store.run(name, async () => {
          await client.request({ url: `${serverUrl}/send`, body: "{}" });
          return store.getStore();
        }),
      ),
    );
    expect(seen).to.deep.equal(["a", "b", "c"]);
  });

  it("a URL that is not http(s), or not a URL, is an AnymailAPIError that names it", async () => {
    for (const url of ["ftp://api.example.com/send", "not a url"]) {
      const error = await client.request({ url, body: "{}" }).catch((e: unknown) => e);
      expect(error, url).to.be.instanceOf(AnymailAPIError);
      expect((error as Error).message).to.match(/could not reach the API at .*: .*URL/);
    }
    expect(() => new Targets().of("file:///etc/passwd")).to.throw(TypeError, /protocol/);
  });

  it("a header undici refuses is an AnymailAPIError, not a crash", async () => {
    ({ server, url: serverUrl } = await serve((_req, res) => res.end("{}")));
    const error = await client
      .request({ url: `${serverUrl}/send`, body: "{}", headers: { "X-Bad": "a\r\nInjected: 1" } })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as Error).message).to.match(/could not reach the API.*invalid/i);
  });

  it("a connection reset mid-answer rejects with the transport's error", async () => {
    ({ server, url: serverUrl } = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 5);
    }));
    const error = await client
      .request({ url: `${serverUrl}/send`, body: "{}" })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as AnymailAPIError).retriable).to.equal(true);
    expect((error as Error).message).to.include("could not reach the API");
  });
});
