// Run with the AWS SDK blocked: prints what importing anymail, mounting the router and
// creating an SES sender do, as one JSON line.
import { anymailRouter, createSender } from "../../../../lib/index.js";

const result: Record<string, string> = {};
try {
  anymailRouter({ env: {} });
  result.router = "ok";
} catch (error) {
  result.router = String(error);
}
try {
  createSender("amazon_ses", { env: {} });
  result.createSender = "ok";
} catch (error) {
  result.createSender = `${(error as Error).name}: ${(error as Error).message}`;
  result.cause = String((error as Error).cause);
}
try {
  createSender("test", { env: {} });
  result.otherEsp = "ok";
} catch (error) {
  result.otherEsp = String(error);
}
console.log(JSON.stringify(result));
