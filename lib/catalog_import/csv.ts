/**
 * Reads CSV as spreadsheets write it (RFC 4180): comma-separated, fields
 * with a comma, quote or line break in double quotes (a quote doubled), LF
 * or CRLF line ends, an optional byte-order mark. Each record keeps the line
 * it starts on, so an error can name the line a person sees in an editor.
 */

/** One record: the line it starts on (1-based) and its cells. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** A file that is not CSV at all, e.g. a quote that never closes. */
export class CsvError extends Error {
  override name = "CsvError";
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/** Splits `text` into records; blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      const cell = readCell(s, i, start);
      cells.push(cell.value);
      line += cell.newlines;
      i = cell.end;
      if (s[i] === ",") {
        i++;
        continue;
      }
      break;
    }
    // The record ends at a line end or the end of the text.
    const eol = s[i] === "\r" && s[i + 1] === "\n"
      ? 2
      : s[i] === "\n" || s[i] === "\r"
      ? 1
      : 0;
    i += eol;
    if (eol > 0) line++;
    if (!(cells.length === 1 && cells[0]!.trim() === "")) {
      out.push({ line: start, cells });
    }
  }
  return out;
}

interface Cell {
  value: string;
  /** Where the cell ended (at a comma, a line end or the end). */
  end: number;
  /** Line breaks inside the cell (a quoted one may hold some). */
  newlines: number;
}

function readCell(s: string, from: number, line: number): Cell {
  if (s[from] !== '"') {
    let end = from;
    while (end < s.length && !",\r\n".includes(s[end]!)) end++;
    return { value: s.slice(from, end), end, newlines: 0 };
  }
  let value = "";
  let newlines = 0;
  let i = from + 1;
  for (;;) {
    const q = s.indexOf('"', i);
    if (q < 0) {
      throw new CsvError(
        line,
        `line ${line}: a quoted field is never closed (a " is missing)`,
      );
    }
    const part = s.slice(i, q);
    value += part;
    newlines += part.split(/\r\n|\r|\n/).length - 1;
    if (s[q + 1] === '"') {
      value += '"';
      i = q + 2;
      continue;
    }
    i = q + 1;
    break;
  }
  if (i < s.length && !",\r\n".includes(s[i]!)) {
    throw new CsvError(
      line + newlines,
      `line ${
        line + newlines
      }: text follows a closing quote; a quote inside a quoted field is written twice ("")`,
    );
  }
  return { value, end: i, newlines };
}
