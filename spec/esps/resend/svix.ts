// Signs a webhook body as Svix does (written from Svix's docs, independently of lib/).
import { createHmac, randomBytes } from "node:crypto";

/** A fresh `whsec_…` secret. */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** The three Svix headers for `body`, signed with every one of `secrets`. */
export function svixHeaders(
  body: string,
  secrets: string[],
  { id = "msg_2p5jXN8AQM9LWM0D4loKWxJek", timestamp = Math.floor(Date.now() / 1000) } = {},
): Record<string, string> {
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
    const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
    return `v1,${mac}`;
  });
  return {
    "svix-id": id,
    "svix-timestamp": String(timestamp),
    "svix-signature": signatures.join(" "),
    "content-type": "application/json",
  };
}
