/**
 * `deno task build`: bundles the islands ahead of time into static/islands/,
 * so the web role serves them without spawning anything or writing a file.
 *   deno task build             build now
 *   deno task build --if-stale  build only when missing or out of date (start, CI, Dockerfile)
 *   deno task build --check     exit 1 when missing or out of date, build nothing
 */
import { parseArgs } from "../lib/config.ts";
import { say } from "../lib/log.ts";
import { buildIslands } from "../lib/islands/build.ts";
import {
  PREBUILT_DIR,
  prebuiltProblem,
  sourceHash,
  writePrebuilt,
} from "../lib/islands/prebuilt.ts";

const { flags } = parseArgs(Deno.args);
const problem = await prebuiltProblem();
if (flags.has("check")) {
  say(problem ? `islands: stale (${problem})` : "islands: up to date");
  Deno.exit(problem ? 1 : 0);
}
if (flags.has("if-stale") && !problem) {
  say("islands: up to date");
  Deno.exit(0);
}
const sources = await sourceHash();
const bundle = await buildIslands();
await writePrebuilt(bundle, sources);
say(
  `islands: built ${bundle.islands.length} islands (${bundle.files.size} files, id ${bundle.id}) into ${PREBUILT_DIR}`,
);
