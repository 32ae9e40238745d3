/**
 * @module
 * createQueuedSender(): `enqueue(message)` stores the message in a BullMQ queue (one per
 * sender, so each has its own rate limit) and answers a job id at once; workers send it,
 * retrying only retriable failures with backoff, and keep the outcome on the job.
 */
import { EventEmitter } from "node:events";
import type { Job, JobsOptions, Queue, Worker } from "bullmq";
import type { AnymailMessage } from "../sender/message.js";
import type { AnymailStatus, RecipientStatus, SendStatus } from "../sender/status.js";
import { loadBullMQ, type QueueConnection } from "./bullmq.js";
import { splitBatch } from "./batch.js";
import { decodeValue, encodeValue, type Encoded } from "./json.js";
import { retryDelay, type MessageSender, type RetryPolicy } from "./retry.js";

export interface QueuedSenderOptions {
  /** The queue, or the prefix of one queue per sender name. @default "anymail-send" */
  queueName?: string;
  /** BullMQ key prefix. @default "bull" */
  prefix?: string;
  /** Tries and backoff for retriable failures. */
  retry?: RetryPolicy;
  /** At most `max` sends per `duration` ms per sender, across every worker (BullMQ limiter). */
  limiter?: { max: number; duration: number };
  /** Sends in flight at once per sender in one worker process. @default 1 */
  concurrency?: number;
  /** Seconds a finished job (and its outcome) is kept. @default 604800 (a week) */
  keepJobs?: number;
  /**
   * The most `to` recipients one call of the ESP takes in a batch send, for `enqueueBatch`;
   * one number, or one per sender name. @default the ESP's documented limit (Sender.maxBatchSize)
   */
  batchSize?: number | Readonly<Record<string, number>>;
  /** Where worker errors are reported. @default console.error */
  onError?: (error: Error) => void;
}

/** The outcome kept on a sent job: the AnymailStatus, JSON-safe. */
export interface QueuedSendResult {
  /** Which sender sent (its name in the senders given). */
  sender: string;
  /** As AnymailStatus.messageId, with a Set as an array. */
  messageId: string | Array<string | null> | null;
  status: SendStatus[] | null;
  recipients: Record<string, RecipientStatus>;
}

/** A queued message's progress, as read from Redis by any process. */
export interface QueuedSendState {
  state: string;
  attemptsMade: number;
  result?: QueuedSendResult;
  failedReason?: string;
}

/** The events a queued sender emits in the process that sends (like postSend). */
export interface QueuedSendEvents {
  sent: [jobId: string, result: QueuedSendResult, message: AnymailMessage];
  failed: [jobId: string, error: unknown, message: AnymailMessage];
}

interface SendJobData {
  message: Encoded;
}

const RETRY_BACKOFF = "anymail-retry";

function toResult(status: AnymailStatus, sender: string): QueuedSendResult {
  const id = status.messageId;
  return {
    sender,
    messageId: id instanceof Set ? [...id] : id,
    status: status.status ? [...status.status] : null,
    recipients: status.recipients,
  };
}

/** Queues messages for one or several senders; see createQueuedSender. */
export class QueuedSender extends EventEmitter<QueuedSendEvents> {
  readonly #senders: Map<string, MessageSender>;
  readonly #queues = new Map<string, Promise<Queue<SendJobData>>>();
  readonly #workers: Worker[] = [];
  readonly #jobOptions: JobsOptions;

  constructor(
    senders: MessageSender | Readonly<Record<string, MessageSender>>,
    private readonly connection: QueueConnection,
    private readonly options: QueuedSenderOptions = {},
  ) {
    super();
    this.#senders =
      typeof (senders as MessageSender).send === "function"
        ? new Map([["default", senders as MessageSender]])
        : new Map(Object.entries(senders as Record<string, MessageSender>));
    if (this.#senders.size === 0) throw new TypeError("createQueuedSender needs a sender");
    const keep = options.keepJobs ?? 7 * 86_400;
    this.#jobOptions = {
      attempts: Math.max(1, options.retry?.attempts ?? 5),
      backoff: { type: RETRY_BACKOFF },
      removeOnComplete: { age: keep },
      removeOnFail: { age: keep },
    };
  }

  #queueName(name: string): string {
    const base = this.options.queueName ?? "anymail-send";
    return this.#senders.size === 1 ? base : `${base}-${name}`;
  }

  #senderName(via: string | undefined): string {
    const name = via ?? [...this.#senders.keys()][0];
    if (!this.#senders.has(name)) {
      throw new TypeError(`no sender "${name}" (known: ${[...this.#senders.keys()].join(", ")})`);
    }
    return name;
  }

  #queue(name: string): Promise<Queue<SendJobData>> {
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = loadBullMQ().then(({ Queue }) => {
        const created = new Queue<SendJobData>(this.#queueName(name), {
          connection: this.connection,
          prefix: this.options.prefix,
        });
        created.on("error", this.#onError);
        return created;
      });
      this.#queues.set(name, queue);
    }
    return queue;
  }

  readonly #onError = (error: Error) =>
    (this.options.onError ?? ((e: Error) => console.error("anymail: queued sender", e)))(error);

  /**
   * Stores the message for sending; resolves to its job id. `jobId` makes enqueueing
   * idempotent (the same id twice is one send); `via` picks one of several senders.
   */
  async enqueue(
    message: AnymailMessage,
    options: { via?: string; jobId?: string; delay?: number } = {},
  ): Promise<string> {
    const queue = await this.#queue(this.#senderName(options.via));
    const { anymailStatus: _ignored, ...data } = message;
    const job = await queue.add(
      "send",
      { message: encodeValue(data, "message") },
      { ...this.#jobOptions, jobId: options.jobId, delay: options.delay },
    );
    return job.id as string;
  }

  /**
   * Like `enqueue`, for a batch send larger than the sender's `batchSize`: one job per part
   * of at most `batchSize` recipients (see splitBatch). Resolves to the job ids, in order;
   * a caller's `jobId` gets `-0`, `-1`, … appended.
   */
  async enqueueBatch(
    message: AnymailMessage,
    options: { via?: string; jobId?: string; delay?: number } = {},
  ): Promise<string[]> {
    const name = this.#senderName(options.via);
    const { batchSize } = this.options;
    const size =
      (typeof batchSize === "number" ? batchSize : batchSize?.[name]) ??
      this.#senders.get(name)?.maxBatchSize;
    if (size === undefined) {
      throw new TypeError(
        `createQueuedSender has no batchSize for sender "${name}" (its ESP declares no limit)`,
      );
    }
    const parts = splitBatch(message, size);
    const queue = await this.#queue(name);
    const jobs = await queue.addBulk(
      parts.map((part, i) => {
        const { anymailStatus: _ignored, ...data } = part;
        const jobId = options.jobId === undefined ? undefined : `${options.jobId}-${i}`;
        return {
          name: "send",
          data: { message: encodeValue(data, "message") },
          opts: { ...this.#jobOptions, jobId, delay: options.delay },
        };
      }),
    );
    return jobs.map((job) => job.id as string);
  }

  /** Where a queued message is (from any process), or null when its job is gone. */
  async state(jobId: string, via?: string): Promise<QueuedSendState | null> {
    const { Job } = await loadBullMQ();
    const queue = await this.#queue(this.#senderName(via));
    // the state first: a job read after it is at least that far along
    const state = await queue.getJobState(jobId);
    const job = await Job.fromId<SendJobData, QueuedSendResult>(queue, jobId);
    if (!job || state === "unknown") return null;
    return {
      state,
      attemptsMade: job.attemptsMade,
      result: job.returnvalue ?? undefined,
      failedReason: job.failedReason || undefined,
    };
  }

  /** Starts this process's workers: one per sender, each with the limiter. */
  async startWorkers(): Promise<void> {
    const { Worker, UnrecoverableError } = await loadBullMQ();
    const policy = this.options.retry ?? {};
    for (const [name, sender] of this.#senders) {
      const process = async (job: Job<SendJobData>): Promise<QueuedSendResult> => {
        const message = decodeValue(job.data.message) as AnymailMessage;
        try {
          const result = toResult(await sender.send(message), name);
          this.emit("sent", job.id as string, result, message);
          return result;
        } catch (error) {
          const failures = job.attemptsMade + 1;
          const again =
            failures < (job.opts.attempts ?? 1) && retryDelay(error, failures, policy) !== null;
          if (again) throw error;
          this.emit("failed", job.id as string, error, message);
          const reason = error instanceof Error ? error.message : String(error);
          throw new UnrecoverableError(reason);
        }
      };
      const worker = new Worker<SendJobData, QueuedSendResult>(this.#queueName(name), process, {
        connection: this.connection,
        prefix: this.options.prefix,
        concurrency: this.options.concurrency ?? 1,
        limiter: this.options.limiter,
        settings: {
          // the error thrown by the try that failed: its Retry-After sets the floor
          backoffStrategy: (attemptsMade, _type, error) =>
            retryDelay(error, attemptsMade, policy) ?? 0,
        },
      });
      worker.on("error", this.#onError);
      this.#workers.push(worker);
    }
  }

  /** Lets the workers finish the sends in hand, then closes everything. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.splice(0).map((worker) => worker.close()));
    const queues = [...this.#queues.values()];
    this.#queues.clear();
    await Promise.all(queues.map(async (queue) => (await queue).close()));
  }
}

/**
 * Queued sending through one sender, or several by name (each its own queue and limit).
 * Call `startWorkers()` in the processes that should send.
 *
 * @example
 * const queued = createQueuedSender(sender, { host: "127.0.0.1", port: 6379 }, {
 *   limiter: { max: 10, duration: 1000 },
 *   retry: { attempts: 6 },
 * });
 * await queued.startWorkers();
 * queued.on("sent", (jobId, result) => console.log(jobId, result.messageId));
 * const jobId = await queued.enqueue(message);
 */
export function createQueuedSender(
  senders: MessageSender | Readonly<Record<string, MessageSender>>,
  connection: QueueConnection,
  options: QueuedSenderOptions = {},
): QueuedSender {
  return new QueuedSender(senders, connection, options);
}
