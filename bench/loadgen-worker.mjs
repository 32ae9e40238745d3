// The load generator's process (see bench/loadgen.ts): one autocannon run per message, in a
// process of its own, so the server under test has its process, and its CPU time, to itself.
import autocannon from "autocannon";

process.on("message", async ({ id, options }) => {
  try {
    // on a main thread autocannon returns its summary: the completed requests are its total
    const result = await autocannon(options);
    const total = result.requests.total;
    process.send({
      id,
      result: {
        ok: result["2xx"],
        non2xx: result.non2xx,
        total,
        // the mean of the per-second counts, as the summary's requests.average is
        rate: total / Math.max(result.samples, 1),
      },
    });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
