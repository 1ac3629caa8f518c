import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { toCsv } from "./csv.ts";

Deno.test("csv - quotes commas, quotes and line breaks, leaves numbers and blanks plain", () => {
  assertEquals(
    toCsv(["a", "b", "c"], [["x,y", 'say "hi"', 1.5], [
      "line\nbreak",
      null,
      -2,
    ]]),
    'a,b,c\r\n"x,y","say ""hi""",1.5\r\n"line\nbreak",,-2\r\n',
  );
});

Deno.test("csv - defuses text that a spreadsheet would run as a formula", () => {
  assertEquals(
    toCsv(["name"], [["=SUM(A1)"], ["@cmd"], ["-1+1"]]),
    "name\r\n'=SUM(A1)\r\n'@cmd\r\n'-1+1\r\n",
  );
});
