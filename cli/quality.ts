/** `deno task quality [--verbose] [--json] [--store]`: the data-quality checks; exit 0 pass, 1 fail, 2 cannot run. */
import { qualityCommand } from "../lib/quality/command.ts";

Deno.exit(await qualityCommand(Deno.args));
