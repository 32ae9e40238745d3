// The load generator's thread (see bench/loadgen.ts): one autocannon run per message, on
// this thread's event loop, so the server under test has the main thread to itself.
import { parentPort } from "node:worker_threads";
import autocannon from "autocannon";

parentPort.on("message", async ({ id, options }) => {
  try {
    // off the main thread autocannon returns its raw counts, not the aggregated summary
    const result = await autocannon(options);
    parentPort.postMessage({
      id,
      result: {
        ok: result["2xx"],
        non2xx: result.non2xx,
        total: result.totalCompletedRequests,
        // the mean of the per-second counts, as the summary's requests.average is
        rate: result.totalCompletedRequests / Math.max(result.samples, 1),
      },
    });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
