// --import this file to run a process as if the AWS SDK were not installed.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
