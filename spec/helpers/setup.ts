/**
 * @module
 * Loaded by mocha before any spec (.mocharc.json "require").
 *
 * The AWS SDK prints a NodeVersionSupportWarning once per process on Node < 22: its releases
 * after the first week of January 2027 need Node 22, while this package supports Node 20.19
 * with the SDK versions before that (docs/esps/amazon-ses.md). The SDK's own switch turns off
 * that one warning, so every other warning still reaches the test output.
 */
import { register } from "node:module";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// import() of lib/ files shares the CommonJS copy the specs load (see the hooks' comment)
register("./lib-as-cjs-hooks.mjs", import.meta.url);
