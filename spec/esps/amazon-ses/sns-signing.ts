// Signs SNS messages the way Amazon SNS does, with an RSA key and a self-signed X.509
// certificate generated here (a minimal DER encoder: no test depends on openssl or a CA).
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";

export interface SnsSigner {
  /** The SigningCertURL to put in messages (unique per signer: certificates are cached by URL). */
  certUrl: string;
  certPem: string;
  /** How many times the certificate was fetched. */
  fetches: number;
  /** The `fetchSnsCertificate` option for anymailRouter's amazon_ses settings. */
  fetchSnsCertificate: (url: string) => Promise<string>;
  /** Adds SignatureVersion, Signature and SigningCertURL to a message. */
  sign(message: Record<string, unknown>, version?: 1 | 2): Record<string, unknown>;
}

function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else if (length < 0x100) header = Buffer.from([tag, 0x81, length]);
  else header = Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([header, content]);
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const SHA256_WITH_RSA = seq(
  Buffer.from("06092a864886f70d01010b", "hex"),
  Buffer.from("0500", "hex"),
);
const commonName = (cn: string) =>
  seq(der(0x31, seq(Buffer.from("0603550403", "hex"), der(0x0c, Buffer.from(cn, "utf8")))));
const utcTime = (date: Date) =>
  der(0x17, Buffer.from(date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z", "ascii"));

/** A self-signed certificate for the key pair, valid from `notBefore` to `notAfter`. */
export function selfSignedCertificate(
  publicKey: KeyObject,
  privateKey: KeyObject,
  {
    notBefore = new Date(Date.now() - 86_400_000),
    notAfter = new Date(Date.now() + 86_400_000),
  } = {},
): string {
  const name = commonName("sns.amazonaws.com");
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.concat([Buffer.from([0x01]), randomBytes(8)])),
    SHA256_WITH_RSA,
    name,
    seq(utcTime(notBefore), utcTime(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = createSign("RSA-SHA256").update(tbs).sign(privateKey);
  const cert = seq(tbs, SHA256_WITH_RSA, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = cert.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN CERTIFICATE-----\n${base64.trim()}\n-----END CERTIFICATE-----\n`;
}

const SIGNED: Record<string, string[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
  UnsubscribeConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
};

export function createSnsSigner(validity?: { notBefore?: Date; notAfter?: Date }): SnsSigner {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const certPem = selfSignedCertificate(publicKey, privateKey, validity);
  const certUrl = `https://sns.us-east-1.amazonaws.com/SimpleNotificationService-${randomBytes(16).toString("hex")}.pem`;
  const signer: SnsSigner = {
    certUrl,
    certPem,
    fetches: 0,
    fetchSnsCertificate: async (url) => {
      signer.fetches += 1;
      if (url !== certUrl) throw new Error(`unexpected certificate URL ${url}`);
      return certPem;
    },
    sign(message, version = 1) {
      let text = "";
      for (const field of SIGNED[String(message.Type)] ?? []) {
        const value = message[field];
        if (value !== undefined && value !== null) text += `${field}\n${String(value)}\n`;
      }
      const signature = createSign(version === 1 ? "RSA-SHA1" : "RSA-SHA256")
        .update(text, "utf8")
        .sign(privateKey, "base64");
      return {
        ...message,
        SignatureVersion: String(version),
        Signature: signature,
        SigningCertURL: certUrl,
      };
    },
  };
  return signer;
}
