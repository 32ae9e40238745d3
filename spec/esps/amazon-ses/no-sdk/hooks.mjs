// Module hooks that make every @aws-sdk/* package look uninstalled.
export async function resolve(specifier, context, next) {
  if (specifier.startsWith("@aws-sdk/")) {
    const error = new Error(`Cannot find package '${specifier}' (blocked by the test)`);
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
  return next(specifier, context);
}
