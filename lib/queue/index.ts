/**
 * @module
 * anymail/queue: webhook events and sends through BullMQ on Redis, so several processes
 * share the work and nothing acknowledged is lost; plus retries and failover that need no
 * Redis. bullmq and ioredis are optional peer dependencies, loaded only when a queue is used.
 */
export { queueEvents, QueuedEventSink, EVENTS_QUEUE } from "./event-sink.js";
export type { QueueEventsOptions } from "./event-sink.js";
export { processEvents } from "./event-worker.js";
export type {
  DeadEventData,
  EventHandlers,
  EventWorker,
  ProcessEventsOptions,
} from "./event-worker.js";
export { eventJobId, fromJobData, toJobData } from "./event-data.js";
export type { BlobStore, EventCodecOptions, EventJobData } from "./event-data.js";
export { RedisReplayStore } from "./replay-store.js";
export type { RedisCommands } from "./replay-store.js";
export { isRetriable, retryDelay, sendWithRetry } from "./retry.js";
export type { MessageSender, RetryPolicy, SendWithRetryOptions } from "./retry.js";
export { createQueuedSender, QueuedSender } from "./queued-sender.js";
export type {
  QueuedSendEvents,
  QueuedSendResult,
  QueuedSendState,
  QueuedSenderOptions,
} from "./queued-sender.js";
export { splitBatch } from "./batch.js";
export { createFailoverSender, FailoverSender } from "./failover.js";
export type { FailoverPolicy, FailoverStatus } from "./failover.js";
export type { QueueConnection } from "./bullmq.js";
export { decodeValue, encodeValue } from "./json.js";
export type { Encoded } from "./json.js";
