// The error a promise rejects with, for tests that inspect it (fails when it resolves).

/** The rejection of a promise; throws (failing the test) when the promise resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}
