import { deepStrictEqual as assertEquals } from "node:assert/strict";
import fc from "fast-check";
import { dollars, money } from "./money.ts";

Deno.test("money - amounts read as dollars, grouped, with the sign before the $", () => {
  assertEquals(
    [money(89999), money(100000000), money(-500), money(0), money(-0)],
    ["$899.99", "$1,000,000.00", "-$5.00", "$0.00", "$0.00"],
  );
  assertEquals(
    [dollars(1249.98), dollars(0.5), dollars(-0.004), dollars(2.675)],
    // 2.675 is 2.67499999… as a double: it rounds down, as toFixed does.
    ["$1,249.98", "$0.50", "$0.00", "$2.67"],
  );
});

Deno.test("money - dollars names the same cents as toFixed(2), for any amount", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -1e9, max: 1e9, noNaN: true }),
      (x) => {
        const text = dollars(x);
        const digits = text.replace(/^-?\$/, "").replaceAll(",", "");
        const fixed = Math.abs(x).toFixed(2);
        assertEquals(digits, fixed);
        assertEquals(text.startsWith("-"), x < 0 && fixed !== "0.00");
      },
    ),
  );
});

Deno.test("money - whole cents come back exactly", () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e11, max: 1e11 }), (cents) => {
      const back = Math.round(
        Number(money(cents).replace("$", "").replaceAll(",", "")) * 100,
      );
      assertEquals(back + 0, cents + 0);
    }),
  );
});
