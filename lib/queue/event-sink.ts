/**
 * @module
 * queueEvents(): an emitter for anymailRouter that stores each event in a BullMQ queue
 * before the webhook answers, so the answer 2xx means "durable", and answers 503 (the ESP
 * retries) while Redis cannot take it.
 */
import type { JobsOptions, Queue } from "bullmq";
import { AnymailWebhookUnavailable } from "../errors.js";
import { AnymailEmitter, type AnymailChannel, type AnymailEvents } from "../events/emitter.js";
import { loadBullMQ, type QueueConnection } from "./bullmq.js";
import { eventJobId, toJobData, type EventCodecOptions, type EventJobData } from "./event-data.js";

/** The queue webhook events go to unless told otherwise. */
export const EVENTS_QUEUE = "anymail-events";

export interface QueueEventsOptions extends EventCodecOptions {
  /** @default "anymail-events" */
  queueName?: string;
  /** BullMQ key prefix. @default "bull" */
  prefix?: string;
  /** Tries per event before it goes to the dead-letter queue. @default 8 */
  attempts?: number;
  /** First retry delay in ms, doubled each try (with jitter). @default 1000 */
  backoffDelay?: number;
  /**
   * Seconds a processed event's job is kept, so a late ESP retry of it is recognised and not
   * processed again. @default 86400 (a day)
   */
  dedupWindow?: number;
  /** Give up on Redis after this many ms and answer 503. @default 5000 */
  addTimeout?: number;
  /** The Retry-After (seconds) of a 503. @default 30 */
  retryAfter?: number;
}

/** What `queueEvents` returns: an AnymailEmitter whose `dispatch` enqueues. */
export class QueuedEventSink extends AnymailEmitter {
  #queue: Promise<Queue> | undefined;
  readonly #jobOptions: JobsOptions;

  constructor(
    private readonly target: Queue | QueueConnection,
    private readonly options: QueueEventsOptions = {},
  ) {
    super();
    const dedup = options.dedupWindow ?? 86_400;
    this.#jobOptions = {
      attempts: options.attempts ?? 8,
      backoff: { type: "exponential", delay: options.backoffDelay ?? 1000, jitter: 0.5 },
      removeOnComplete: { age: dedup },
      removeOnFail: { age: Math.max(dedup, 7 * 86_400) },
    };
  }

  /** The BullMQ queue (created on first use when a connection was given). */
  queue(): Promise<Queue> {
    this.#queue ??= (async () => {
      if (isQueue(this.target)) return this.target;
      const { Queue } = await loadBullMQ();
      const queue = new Queue(this.options.queueName ?? EVENTS_QUEUE, {
        connection: withFailFast(this.target),
        prefix: this.options.prefix,
      });
      // errors surface on add(); without a listener they would be reported as unhandled
      queue.on("error", () => {});
      return queue;
    })();
    return this.#queue;
  }

  /**
   * Stores the event, then calls any local listeners. Rejects with AnymailWebhookUnavailable
   * (the router answers 503 with Retry-After) when the queue cannot take it.
   */
  override async dispatch<K extends AnymailChannel>(
    channel: K,
    ...args: AnymailEvents[K]
  ): Promise<void> {
    const [event, espName] = args;
    const data = await toJobData(channel, event, espName, this.options);
    await this.add(data);
    await super.dispatch(channel, ...args);
  }

  /** Adds one event's job (a no-op when a job with its id exists); resolves to the job id. */
  async add(data: EventJobData): Promise<string> {
    const jobId = eventJobId(data);
    const timeout = this.options.addTimeout ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const queue = await this.queue();
      await Promise.race([
        queue.add(data.channel, data, { ...this.#jobOptions, jobId }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer from Redis in ${timeout} ms`)),
            timeout,
          );
        }),
      ]);
      return jobId;
    } catch (error) {
      throw new AnymailWebhookUnavailable(
        `Webhook events cannot be queued now (${error instanceof Error ? error.message : String(error)}); retry later.`,
        { cause: error, retryAfter: this.options.retryAfter ?? 30 },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the queue if this sink created it. */
  async close(): Promise<void> {
    if (this.#queue && !isQueue(this.target)) await (await this.#queue).close();
  }
}

function isQueue(value: unknown): value is Queue {
  const candidate = value as { add?: unknown; name?: unknown; opts?: unknown } | null;
  return (
    typeof candidate?.add === "function" &&
    typeof candidate.name === "string" &&
    "opts" in candidate
  );
}

/**
 * Options (not a client the caller owns): commands fail at once while Redis is unreachable,
 * rather than waiting in ioredis's offline queue and holding the ESP's request open.
 */
function withFailFast(connection: QueueConnection): QueueConnection {
  if (typeof (connection as { duplicate?: unknown }).duplicate === "function") return connection;
  return { enableOfflineQueue: false, ...connection };
}

/**
 * An emitter for `anymailRouter` that queues every event in BullMQ; run `processEvents`
 * somewhere to handle them. Idempotent: every delivery of one ESP event is one job.
 *
 * @example
 * const events = queueEvents({ host: "127.0.0.1", port: 6379 });
 * app.use("/anymail", anymailRouter({ webhookSecret, emitter: events }));
 */
export function queueEvents(
  queueOrConnection: Queue | QueueConnection,
  options: QueueEventsOptions = {},
): QueuedEventSink {
  return new QueuedEventSink(queueOrConnection, options);
}
