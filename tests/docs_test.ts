/** The README documents every setting and every task, so it cannot silently fall behind. */
import { ok } from "node:assert/strict";
import { SETTINGS } from "../lib/config.ts";

const root = new URL("../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));

Deno.test("README - documents every environment variable of lib/config.ts", () => {
  const missing = SETTINGS.filter((s) => !readme.includes(`\`${s.env}\``)).map((
    s,
  ) => s.env);
  ok(missing.length === 0, `README.md does not mention ${missing.join(", ")}`);
});

Deno.test("README - documents every task of deno.json and shows the two commands", async () => {
  const tasks = Object.keys(
    JSON.parse(await Deno.readTextFile(new URL("deno.json", root))).tasks,
  );
  const missing = tasks.filter((t) =>
    !readme.includes(`deno task ${t}`) && !readme.includes(`\`${t}\``)
  );
  ok(
    missing.length === 0,
    `README.md does not mention the tasks ${missing.join(", ")}`,
  );
  ok(readme.includes("deno task start") && readme.includes("deno task test"));
});

Deno.test("README - the screenshot it shows is committed", async () => {
  const shot = /!\[[^\]]*\]\(([^)]+\.png)\)/.exec(readme)?.[1];
  ok(shot, "no screenshot in README.md");
  ok(
    (await Deno.stat(new URL(shot, root))).size > 10_000,
    `${shot} is missing or empty`,
  );
});

Deno.test("README - documents every write endpoint of routes/ with its method and path", async () => {
  const WRITE = /\.(post|put|delete|patch)\(\s*"([^"]+)"/g;
  // Path parameters may be named differently in prose: compare them as ":_".
  const norm = (s: string) => s.replace(/:[a-z_]+/g, ":_");
  const text = norm(readme);
  const missing: string[] = [];
  for await (const e of Deno.readDir(new URL("routes/", root))) {
    const src = await Deno.readTextFile(new URL(`routes/${e.name}`, root));
    for (const m of src.matchAll(WRITE)) {
      const endpoint = `${m[1]!.toUpperCase()} ${m[2]}`;
      if (!text.includes(norm(endpoint))) missing.push(endpoint);
    }
  }
  ok(missing.length === 0, `README.md does not document ${missing.join(", ")}`);
});
