/**
 * @module
 * The signing keys the simulate buttons sign with, and the router settings that trust them.
 * Keys an ESP gave you come from the environment; the rest are made at start-up, for this
 * app only: a Mailgun and a Mandrill key, a SendGrid ECDSA key pair, and for Amazon SNS an
 * RSA key with a self-signed certificate that only this app's router is told to trust.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import forge from "node-forge";

export interface SampleKeys {
  mailgun: string;
  mandrill: string;
  sendgrid: { privateKey: KeyObject; publicKey: string };
  amazonSes: { privateKey: KeyObject; certificatePem: string; certUrl: string };
}

type Env = Record<string, string | undefined>;

export function createSampleKeys(env: Env = process.env): SampleKeys {
  return {
    mailgun: env.MAILGUN_WEBHOOK_SIGNING_KEY || randomBytes(16).toString("hex"),
    mandrill: env.MANDRILL_WEBHOOK_KEY || randomBytes(16).toString("hex"),
    sendgrid: sendgridKeyPair(),
    amazonSes: snsSigningCertificate(),
  };
}

function sendgridKeyPair(): SampleKeys["sendgrid"] {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  // as SendGrid shows its verification key: base64 DER SubjectPublicKeyInfo
  const der = publicKey.export({ type: "spki", format: "der" });
  return { privateKey, publicKey: der.toString("base64") };
}

function snsSigningCertificate(): SampleKeys["amazonSes"] {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: "spki", format: "pem" }).toString(),
  );
  cert.serialNumber = "01" + randomBytes(8).toString("hex");
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const name = [{ name: "commonName", value: "anymail example app SNS signer" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    forge.md.sha256.create(),
  );
  // An SNS-shaped URL (the router accepts no other) that is unique to this key: the router
  // caches certificates by URL, so two apps in one process must not share one.
  const certUrl =
    "https://sns.us-east-1.amazonaws.com/" +
    `SimpleNotificationService-anymail-example-${randomBytes(8).toString("hex")}.pem`;
  return { privateKey, certificatePem: forge.pki.certificateToPem(cert), certUrl };
}

/**
 * anymailRouter settings that accept posts signed with these keys, besides what the
 * environment configures: real SendGrid keys stay valid, and a real SNS certificate is
 * still fetched from Amazon; only the demo certificate's URL is answered locally.
 */
export function trustingRouterSettings(keys: SampleKeys, env: Env = process.env) {
  const sendgridKeys = (env.ANYMAIL_SENDGRID_WEBHOOK_VERIFICATION_KEY ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter(Boolean);
  return {
    mailgun: { webhookSigningKey: keys.mailgun },
    mandrill: { webhookKey: keys.mandrill },
    sendgrid: { webhookVerificationKey: [...sendgridKeys, keys.sendgrid.publicKey] },
    amazon_ses: {
      fetchSnsCertificate: async (url: string): Promise<string> => {
        if (url === keys.amazonSes.certUrl) return keys.amazonSes.certificatePem;
        const response = await fetch(url, {
          redirect: "error",
          signal: AbortSignal.timeout(5_000),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.text();
      },
    },
  };
}

/** For the health panel: how each signing ESP's webhooks are checked here. */
export function signingNotes(env: Env = process.env): Record<string, string> {
  const source = (name: string) => (env[name] ? `key from ${name}` : "demo key made at start-up");
  return {
    mailgun: `signature (${source("MAILGUN_WEBHOOK_SIGNING_KEY")})`,
    mandrill: `signature (${source("MANDRILL_WEBHOOK_KEY")})`,
    sendgrid: env.ANYMAIL_SENDGRID_WEBHOOK_VERIFICATION_KEY
      ? "signature (your key and the demo key)"
      : "signature (demo key pair made at start-up)",
    amazon_ses: "SNS signature (Amazon's certificates, and a demo one trusted by this app only)",
  };
}
