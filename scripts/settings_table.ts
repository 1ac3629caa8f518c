/** Prints the settings table (Markdown) for the README, from lib/config_settings.ts. */
import { SETTINGS } from "../lib/config.ts";
import { say } from "../lib/log.ts";

say("| Variable | Flag | Default | What it does |");
say("| --- | --- | --- | --- |");
for (const s of SETTINGS) {
  const def = s.default === "" ? "(unset)" : `\`${s.default}\``;
  say(
    `| \`${s.env}\` | ${s.flag ? `\`--${s.flag}\`` : ""} | ${def} | ${
      s.doc.replaceAll("|", "\\|")
    } |`,
  );
}
