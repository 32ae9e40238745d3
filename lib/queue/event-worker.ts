/**
 * @module
 * processEvents(): the BullMQ worker that takes queued webhook events, rebuilds the typed
 * events and calls the handlers, retrying with backoff and parking events that keep failing
 * in a dead-letter queue.
 */
import type { Job, Queue, Worker } from "bullmq";
import type { AnymailInboundEvent } from "../events/inbound.js";
import type { AnymailTrackingEvent } from "../events/tracking.js";
import { loadBullMQ, type QueueConnection } from "./bullmq.js";
import { fromJobData, type EventCodecOptions, type EventJobData } from "./event-data.js";
import { EVENTS_QUEUE } from "./event-sink.js";

/** What to do with each channel's events; a handler that throws makes the event retry. */
export interface EventHandlers {
  tracking?: (event: AnymailTrackingEvent, espName: string, job: Job<EventJobData>) => unknown;
  inbound?: (event: AnymailInboundEvent, espName: string, job: Job<EventJobData>) => unknown;
}

export interface ProcessEventsOptions extends EventCodecOptions {
  /** The queue `queueEvents` fills. @default "anymail-events" */
  queueName?: string;
  /** Where events that failed every try go. @default `${queueName}-dead` */
  deadLetterQueueName?: string;
  /** BullMQ key prefix. @default "bull" */
  prefix?: string;
  /** Events handled at once by this worker. @default 1 */
  concurrency?: number;
  /**
   * Ms a worker holds an event before it counts as crashed and the event is handed to
   * another worker. @default 30000
   */
  lockDuration?: number;
  /** Ms between checks for events held by crashed workers. @default 30000 */
  stalledInterval?: number;
  /** Where worker errors are reported. @default console.error */
  onError?: (error: Error) => void;
}

/** A running event worker. */
export interface EventWorker {
  readonly worker: Worker<EventJobData>;
  /** Events that failed every try (or had no handler), with the last error. */
  readonly deadLetterQueue: Queue;
  /** Finishes the events in hand, then stops (graceful shutdown: call on SIGTERM). */
  close(): Promise<void>;
}

/** The job data of a dead-letter entry. */
export interface DeadEventData extends EventJobData {
  failedReason: string;
  attemptsMade: number;
}

/**
 * Starts a worker for the events `queueEvents` stored. Delivery is at least once: an event
 * whose worker dies mid-way is handed to another after `lockDuration`, so handlers should
 * be idempotent (the job id identifies the ESP event).
 *
 * @example
 * const worker = await processEvents({ host: "127.0.0.1", port: 6379 }, {
 *   tracking: async (event) => { if (event.eventType === "bounced") await markBounced(event.recipient); },
 * }, { concurrency: 4 });
 * process.on("SIGTERM", () => void worker.close());
 */
export async function processEvents(
  connection: QueueConnection,
  handlers: EventHandlers,
  options: ProcessEventsOptions = {},
): Promise<EventWorker> {
  const { Queue, Worker, UnrecoverableError } = await loadBullMQ();
  const queueName = options.queueName ?? EVENTS_QUEUE;
  const prefix = options.prefix;
  const deadLetterQueue = new Queue(options.deadLetterQueueName ?? `${queueName}-dead`, {
    connection,
    prefix,
  });
  const onError =
    options.onError ?? ((error: Error) => console.error("anymail: event worker", error));
  deadLetterQueue.on("error", onError);

  async function bury(job: Job<EventJobData>, error: unknown): Promise<void> {
    const data: DeadEventData = {
      ...job.data,
      failedReason: error instanceof Error ? error.message : String(error),
      attemptsMade: job.attemptsMade + 1,
    };
    // the same id: burying twice (a crash between here and the failure) adds one entry
    await deadLetterQueue.add(job.name, data, { jobId: job.id });
  }

  async function handle(job: Job<EventJobData>): Promise<void> {
    const { channel, espName } = job.data;
    const handler = handlers[channel];
    if (!handler) {
      const error = new UnrecoverableError(`no ${channel} handler was given to processEvents`);
      await bury(job, error);
      throw error;
    }
    try {
      const event = await fromJobData(job.data, options);
      await (handler as (event: unknown, espName: string, job: Job<EventJobData>) => unknown)(
        event,
        espName,
        job,
      );
    } catch (error) {
      // the last try: keep the event where someone will look, before BullMQ marks it failed
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await bury(job, error);
      throw error;
    }
  }

  const worker = new Worker<EventJobData>(queueName, handle, {
    connection,
    prefix,
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? options.lockDuration ?? 30_000,
  });
  worker.on("error", onError);

  return {
    worker,
    deadLetterQueue,
    async close() {
      await worker.close();
      await deadLetterQueue.close();
    },
  };
}
