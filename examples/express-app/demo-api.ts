/**
 * @module
 * A stand-in for the ESP API calls an inbound webhook makes back, for the demo samples only.
 * Resend's inbound webhook names the received email, which the router then fetches from
 * Resend's API: the demo email's lookup and raw download are answered here, and every other
 * request (a real inbound email, with your real key) goes out as usual.
 */
import type { SampleKeys } from "./sample-keys.js";
import { rawMime } from "./samples.js";

export function demoApiFetch(
  keys: Pick<SampleKeys, "resend">,
  fetchOut: typeof globalThis.fetch = globalThis.fetch,
): typeof globalThis.fetch {
  const { inboundEmailId, rawUrl } = keys.resend;
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).pathname.endsWith(`/emails/receiving/${inboundEmailId}`)) {
      // Resend's "retrieve received email": the raw MIME is a download link
      return Response.json({
        object: "email",
        id: inboundEmailId,
        to: ["inbound@example.com"],
        from: "Sender <sender@example.net>",
        subject: "Sample inbound with an attachment",
        created_at: new Date().toISOString(),
        raw: { download_url: rawUrl, expires_at: new Date(Date.now() + 3600_000).toISOString() },
      });
    }
    if (url === rawUrl) {
      return new Response(rawMime(), { headers: { "Content-Type": "message/rfc822" } });
    }
    return fetchOut(input, init);
  };
}
