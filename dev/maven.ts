/** Jars from Maven Central, fetched once into a cache folder with the project's pom. */
import { logger } from "../lib/log.ts";

const log = logger("dev");

/**
 * Copies the dependencies of `pom` into `into` with Maven, unless a previous
 * fetch completed there (a `.complete` marker, written last, so a fetch cut
 * short is redone). `what` names the jars in messages ("the Kafka jars").
 */
export async function fetchJars(
  what: string,
  pom: string,
  into: string,
): Promise<void> {
  try {
    await Deno.stat(`${into}/.complete`);
    return;
  } catch { /* not fetched yet */ }
  log.info(`fetching ${what} with Maven (once)`, { into });
  const out = await new Deno.Command("mvn", {
    args: [
      "-q",
      "-B",
      "-f",
      pom,
      "dependency:copy-dependencies",
      `-DoutputDirectory=${into}`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output().catch((err) => {
    throw new Error(`Cannot run "mvn" to fetch ${what}: ${err.message}`);
  });
  if (!out.success) {
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    throw new Error(
      `Cannot fetch ${what} with Maven (exit ${out.code}): ${
        text.trim().split("\n").slice(-5).join(" | ")
      }`,
    );
  }
  await Deno.writeTextFile(`${into}/.complete`, new Date().toISOString());
}
