// Shared set-up for the Postmark send specs: a capture server standing in for Postmark's API.
import { createSender, type CreateSenderOptions } from "../../../lib/index.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import { useCaptureServer, type CaptureServer } from "../../helpers/capture-server.js";

export const TOKEN = "pm-test-server-token";

/** Postmark's answer to an accepted single send (shape from Postmark's Email API docs). */
export const OK = {
  To: "to@example.com",
  SubmittedAt: "2024-01-02T03:04:05.1234567-05:00",
  MessageID: "0a129aee-e1cd-480d-b08d-4f48548ff48d",
  ErrorCode: 0,
  Message: "OK",
};

/** Registers mocha hooks for a capture server; returns helpers bound to it. */
export function usePostmarkApi() {
  const server = useCaptureServer(200, OK);
  const api = {
    get server(): CaptureServer {
      return server();
    },
    sender(options: CreateSenderOptions<"postmark"> = {}) {
      return createSender("postmark", {
        serverToken: TOKEN,
        apiUrl: server().url,
        env: {},
        ...options,
      });
    },
    send(message: AnymailMessage, options: CreateSenderOptions<"postmark"> = {}) {
      return api
        .sender(options)
        .send({ from: "from@example.com", to: "to@example.com", ...message });
    },
    body() {
      return server().last().json as Record<string, unknown>;
    },
  };
  return api;
}
