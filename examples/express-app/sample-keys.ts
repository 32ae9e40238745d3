/**
 * @module
 * The signing keys the simulate buttons sign with, and the router settings that trust them.
 * Keys an ESP gave you come from the environment; the rest are made at start-up, for this
 * app only: a Mailgun and a Mandrill key, Svix secrets for Resend, HMAC secrets for
 * MailerSend, an API key for Unisender Go, ECDSA (SendGrid) and RSA (Postal) key pairs, and
 * for Amazon SNS an RSA key with a self-signed certificate that only this app's router is
 * told to trust. ESPs that take several keys keep the environment's beside the demo one.
 */
import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import forge from "node-forge";
import { demoApiFetch } from "./demo-api.js";

export interface SampleKeys {
  mailgun: string;
  mandrill: string;
  sendgrid: { privateKey: KeyObject; publicKey: string };
  amazonSes: { privateKey: KeyObject; certificatePem: string; certUrl: string };
  resend: {
    signingSecret: string;
    inboundSecret: string;
    /** The demo received email, answered by this app's stand-in for Resend's API. */
    inboundEmailId: string;
    rawUrl: string;
  };
  mailersend: { signingSecret: string; inboundSecret: string };
  postal: { privateKey: KeyObject; webhookKey: string };
  unisenderGo: string;
}

type Env = Record<string, string | undefined>;

export function createSampleKeys(env: Env = process.env): SampleKeys {
  const inboundEmailId = randomUUID();
  return {
    mailgun: env.MAILGUN_WEBHOOK_SIGNING_KEY || randomBytes(16).toString("hex"),
    mandrill: env.MANDRILL_WEBHOOK_KEY || randomBytes(16).toString("hex"),
    sendgrid: sendgridKeyPair(),
    amazonSes: snsSigningCertificate(),
    resend: {
      signingSecret: svixSecret(),
      inboundSecret: svixSecret(),
      inboundEmailId,
      // a host that cannot resolve: only this app's stand-in answers it
      rawUrl: `https://resend-demo.invalid/anymail-example/${inboundEmailId}.eml`,
    },
    mailersend: {
      signingSecret: randomBytes(24).toString("base64url"),
      inboundSecret: randomBytes(24).toString("base64url"),
    },
    postal: postalKeyPair(),
    unisenderGo: randomBytes(20).toString("hex"),
  };
}

/** A Svix signing secret as Resend shows it: `whsec_` and base64 key bytes. */
function svixSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

function postalKeyPair(): SampleKeys["postal"] {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  // as Postal shows a server's webhook key: base64 DER SubjectPublicKeyInfo
  const der = publicKey.export({ type: "spki", format: "der" });
  return { privateKey, webhookKey: der.toString("base64") };
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
  const fromEnv = (...names: string[]) => envList(env, names);
  return {
    // Resend's inbound webhook fetches the email from Resend's API: the demo one is answered here
    fetch: demoApiFetch(keys),
    mailgun: { webhookSigningKey: keys.mailgun },
    mandrill: { webhookKey: keys.mandrill },
    sendgrid: {
      webhookVerificationKey: [
        ...fromEnv("ANYMAIL_SENDGRID_WEBHOOK_VERIFICATION_KEY"),
        keys.sendgrid.publicKey,
      ],
    },
    resend: {
      signingSecret: [...fromEnv("ANYMAIL_RESEND_SIGNING_SECRET"), keys.resend.signingSecret],
      inboundSecret: [...fromEnv("ANYMAIL_RESEND_INBOUND_SECRET"), keys.resend.inboundSecret],
      // without a key of yours, a placeholder: the demo email never reaches Resend's API
      apiKey:
        fromEnv("ANYMAIL_RESEND_API_KEY", "RESEND_API_KEY")[0] ??
        `re_demo_${randomBytes(12).toString("hex")}`,
    },
    mailersend: {
      signingSecret: [
        ...fromEnv("ANYMAIL_MAILERSEND_SIGNING_SECRET"),
        keys.mailersend.signingSecret,
      ],
      inboundSecret: [
        ...fromEnv("ANYMAIL_MAILERSEND_INBOUND_SECRET"),
        keys.mailersend.inboundSecret,
      ],
    },
    postal: {
      webhookKey: [
        ...fromEnv("ANYMAIL_POSTAL_WEBHOOK_KEY", "POSTAL_WEBHOOK_KEY"),
        keys.postal.webhookKey,
      ],
    },
    unisender_go: {
      apiKey: [
        ...fromEnv("ANYMAIL_UNISENDER_GO_API_KEY", "UNISENDER_GO_API_KEY"),
        keys.unisenderGo,
      ],
    },
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

/**
 * A list setting from the first of `names` set in the environment, read as anymail reads it
 * (a JSON list, or comma-separated).
 */
function envList(env: Env, names: string[]): string[] {
  const raw = names.map((name) => env[name]?.trim()).find(Boolean);
  if (!raw) return [];
  if (raw.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed.map(String).filter(Boolean);
    } catch {
      // not JSON after all: comma-separated
    }
  }
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** For the health panel: how each signing ESP's webhooks are checked here. */
export function signingNotes(env: Env = process.env): Record<string, string> {
  const source = (name: string) => (env[name] ? `key from ${name}` : "demo key made at start-up");
  const both = (name: string, check: string, demo = "demo key") =>
    env[name]
      ? `${check} (key from ${name}, and a ${demo})`
      : `${check} (${demo} made at start-up)`;
  return {
    mailgun: `signature (${source("MAILGUN_WEBHOOK_SIGNING_KEY")})`,
    mandrill: `signature (${source("MANDRILL_WEBHOOK_KEY")})`,
    sendgrid: env.ANYMAIL_SENDGRID_WEBHOOK_VERIFICATION_KEY
      ? "signature (your key and the demo key)"
      : "signature (demo key pair made at start-up)",
    amazon_ses: "SNS signature (Amazon's certificates, and a demo one trusted by this app only)",
    resend:
      both("ANYMAIL_RESEND_SIGNING_SECRET", "Svix signature") +
      "; inbound mail fetched from Resend's API (the demo email answered by this app)",
    mailersend: both("ANYMAIL_MAILERSEND_SIGNING_SECRET", "signature"),
    postal: both(
      env.ANYMAIL_POSTAL_WEBHOOK_KEY ? "ANYMAIL_POSTAL_WEBHOOK_KEY" : "POSTAL_WEBHOOK_KEY",
      "RSA signature",
      "demo key pair",
    ),
    unisender_go: both(
      env.ANYMAIL_UNISENDER_GO_API_KEY ? "ANYMAIL_UNISENDER_GO_API_KEY" : "UNISENDER_GO_API_KEY",
      "MD5 signature in the auth field",
      "demo API key",
    ),
  };
}
