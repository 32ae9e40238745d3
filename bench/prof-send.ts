import { createSender } from "../lib/sender/sender.js";
import { FULL, PROFILES, answerOf } from "./profiles.js";
const esp = process.argv[2] ?? "sendgrid";
const profile = PROFILES.find((p) => p.esp === esp)!;
const answer = answerOf(profile, ["to@example.com"]);
const sender = createSender(esp as "sendgrid", { ...profile.options("https://x.invalid"), env: {}, ignoreUnsupportedFeatures: true, transport: async () => answer } as never);
const end = performance.now() + 4000;
let n = 0;
while (performance.now() < end) { await sender.send(FULL); n++; }
console.log(n / 4, "send/s");
