/**
 * Values written into a secret's column by SQL's `INSERT`, as database errors and ORMs' query logs
 * print them: inline (`INSERT INTO users (name, password) VALUES ('bob', '…')`, Laravel's
 * `values (bob, …)`, a call around it, `crypt('…', gen_salt('bf'))`) or as bound parameters after
 * the statement (SQLAlchemy's `[parameters: ('bob', '…')]`, TypeORM's `-- PARAMETERS: ["bob","…"]`,
 * Doctrine's `with params ["bob", "…"]`). A column's name says which value is a secret; a value's
 * place in its row, or its placeholder's (`?`, `$2`, `%s`), says which parameter is.
 */

/** What a statement's value is, read by readValues: its place in the text and its text, trimmed. */
interface Value {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A list of values in brackets (a row, a parameters' list) and where it ends in the text. */
interface Values {
  readonly values: readonly Value[];
  /** Rows inside the list, for a list of lists (executemany's parameters). */
  readonly rows: readonly (readonly Value[])[];
  readonly end: number;
}

/**
 * The statement up to its list of columns and `VALUES` (MySQL's `REPLACE`, `INSERT IGNORE`,
 * SQLite's `INSERT OR REPLACE` too), and the text after it up to 65,536 characters, not past the next
 * such statement. Groups: the columns, the text after `VALUES`. Each part stops at a character the
 * next cannot start with, so a text of many statements is read once.
 */
export const SQL_INSERT = new RegExp(
  String.raw`\b(?:INSERT|REPLACE)[ \t]+(?:(?:IGNORE|OR[ \t]+[A-Z]+|LOW_PRIORITY|DELAYED|HIGH_PRIORITY)[ \t]+)?INTO\s+[^\s(]{1,256}\s*\(([^();]{1,4096})\)\s*VALUES?\b((?:(?!\b(?:INSERT|REPLACE)\b)[^]){0,65536})`,
  "gi",
);

/**
 * Where bound parameters follow a statement: SQLAlchemy's `[parameters:`, TypeORM's `-- PARAMETERS:`,
 * Doctrine's `with params`, a field's or a label's `params`, `bindings`, on the statement's line or
 * the next (Prisma's `prisma:query Params: […]`); or the next argument after
 * the statement's string in code (`client.query('…', ['bob', '…'])`, `cursor.execute("…", (…))`).
 */
const PARAMETERS_LABEL = /^[^\r\n]{0,256}?(?:\r?\n[^\r\n]{0,64}?)?(?:\[parameters:|--[ \t]*PARAMETERS:|\bwith params|\\*["'`][ \t]*,\s*|\b(?:params|parameters|bindings|binds|args)(?:\\*["'])?:?)[ \t]*(?=[[(])/i;

/** A value that stands for a bound parameter: its place by order (`?`, `%s`) or by number (`$2`, `?2`, `:2`). */
const PLACEHOLDER = /^(?:\?|%s|\$(\d{1,4})|\?(\d{1,4})|:(\d{1,4}))$/;
/** A value that names a parameter (`:password`, `%(password)s`, `@password`): bound by name, as a mapping's field. */
const NAMED_PLACEHOLDER = /^(?::[A-Za-z_]\w*|%\([A-Za-z_]\w*\)s|@[A-Za-z_]\w*)$/;
/** SQL's words that are no value of a row's own (`NULL`, `DEFAULT`, `CURRENT_TIMESTAMP`). */
const SQL_KEYWORD = /^(?:NULL|DEFAULT|TRUE|FALSE|CURRENT_(?:TIMESTAMP|DATE|TIME|USER)|NOW\(\)|None|nil|undefined)$/i;

/** A quote that opens a string at `at`: `'`, `"`, a backtick, or an escaped `"` (JSON's, any depth); its delimiter or undefined. */
function quoteAt(text: string, at: number): string | undefined {
  const c = text[at];
  if (c === "'" || c === '"' || c === "`") return c;
  if (c !== "\\") return undefined;
  let end = at;
  while (text[end] === "\\") end++;
  return text[end] === '"' ? text.slice(at, end + 1) : undefined;
}

/** The index after a string opened at `at` by `quote`: doubled quotes and backslash escapes inside; the text's end if it never closes. */
function stringEnd(text: string, at: number, quote: string): number {
  let i = at + quote.length;
  while (i < text.length) {
    if (text.startsWith(quote, i)) {
      if (quote.length === 1 && text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + quote.length;
    }
    if (quote.length === 1 && text[i] === "\\") {
      i += 2;
      continue;
    }
    i++;
  }
  return text.length;
}

/**
 * The values of the bracketed list at `open` (`(` or `[`), split at commas outside strings and
 * inner brackets, each trimmed; the rows of a list of lists (`nested`: one level down, no deeper).
 * Undefined when it never closes within the text or holds more than 1,024 values.
 */
function readValues(text: string, open: number, nested = true): Values | undefined {
  const closing = text[open] === "(" ? ")" : "]";
  const values: Value[] = [];
  const rows: Value[][] = [];
  let start = open + 1;
  let depth = 0;
  let i = open + 1;
  const push = (end: number): void => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed !== "") values.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed });
  };
  while (i < text.length) {
    const quote = quoteAt(text, i);
    if (quote !== undefined) {
      i = stringEnd(text, i, quote);
      continue;
    }
    const c = text[i];
    if (c === "(" || c === "[") {
      if (nested && depth === 0 && values.length === rows.length && text.slice(start, i).trim() === "") {
        const row = readValues(text, i, false);
        if (row === undefined) return undefined;
        rows.push([...row.values]);
        i = row.end;
        continue;
      }
      depth++;
    } else if (c === ")" || c === "]") {
      if (depth === 0) {
        if (c !== closing) return undefined;
        push(i);
        return { values, rows: rows.length > 0 && rows.length === values.length ? rows : [], end: i + 1 };
      }
      depth--;
    } else if (c === "," && depth === 0) {
      push(i);
      if (values.length > 1024) return undefined;
      start = i + 1;
    }
    i++;
  }
  return undefined;
}

/** The rows after `VALUES` (`(…), (…)`), at most 4,096 (a dump's long statement), and where they end. */
function readRows(text: string): { rows: Values[]; end: number } | undefined {
  const rows: Values[] = [];
  let at = 0;
  for (;;) {
    const open = /^\s*\(/.exec(text.slice(at, at + 4096));
    if (open === null) break;
    const row = readValues(text, at + open[0].length - 1);
    if (row === undefined) break;
    rows.push(row);
    at = row.end;
    const comma = /^\s*,/.exec(text.slice(at, at + 256));
    if (comma === null || rows.length >= 4096) break;
    at += comma[0].length;
  }
  return rows.length === 0 ? undefined : { rows, end: at };
}

/** A settings table's columns: the setting's name (`key`, `name`, `option_name`, `setting_key`) and its value (`value`, `option_value`). */
const SETTING_NAME = /^(?:[a-z]+_)?(?:key|name)$/i;
const SETTING_VALUE = /^(?:[a-z]+_)?value$/i;
/** A column's name without its quotes, brackets or table (`"users"."password"`, `` `api_token` ``, `[Password]`). */
const columnName = (column: string): string => column.replace(/[\\"`[\]]/g, "").trim().split(".").pop() ?? "";

/** How to read a value: the secret's text inside a quoted value or a call's first quoted argument, or the bare value whole. */
interface Reading {
  /** Whether a name is a secret's (`password`, `api_token`). */
  readonly secretColumn: (name: string) => boolean;
  /** Whether a value's text is one to take (not a placeholder, a mask or a marker). */
  readonly secretText: (text: string) => boolean;
  /** What stands for a taken value. */
  readonly marker: string;
}

/** The edit that takes a value: its text inside its quotes, a call's first quoted argument, or the bare value; none for a keyword, a number's sign or a placeholder. */
function takeValue(value: Value, reading: Reading): [number, number, string] | undefined {
  const body = value.text.replace(/^[bBuUnNeE]{1,2}(?=['"])/, "");
  const prefix = value.text.length - body.length;
  const quote = quoteAt(body, 0);
  if (quote !== undefined) {
    const end = stringEnd(body, 0, quote);
    if (end !== body.length) return undefined;
    const inner = body.slice(quote.length, end - quote.length);
    if (inner === "" || !reading.secretText(inner)) return undefined;
    const start = value.start + prefix + quote.length;
    return [start, start + inner.length, reading.marker];
  }
  if (SQL_KEYWORD.test(body) || PLACEHOLDER.test(body) || NAMED_PLACEHOLDER.test(body)) return undefined;
  const call = /^[A-Za-z_][\w.]*\(\s*/.exec(body);
  if (call !== null) {
    const argumentQuote = quoteAt(body, call[0].length);
    if (argumentQuote === undefined) return undefined;
    const end = stringEnd(body, call[0].length, argumentQuote);
    const inner = body.slice(call[0].length + argumentQuote.length, end - argumentQuote.length);
    if (inner === "" || !reading.secretText(inner)) return undefined;
    const start = value.start + call[0].length + argumentQuote.length;
    return [start, start + inner.length, reading.marker];
  }
  if (!reading.secretText(body)) return undefined;
  return [value.start, value.end, reading.marker];
}

/**
 * The text after an `INSERT`'s `VALUES` (SQL_INSERT's second group) with each value written into a
 * secret's column taken, inline or as a bound parameter; undefined when none is. `columns` is the
 * statement's list of columns.
 */
export function takeInsertedSecrets(columns: string, after: string, reading: Reading): string | undefined {
  const names = columns.split(",").map(columnName);
  const secret = names.flatMap((name, index) => (reading.secretColumn(name) ? [index] : []));
  // A table of settings' names and values (`(option_name, option_value)`, `(key, value)`): a row whose name is a secret's.
  const settingName = names.findIndex((name) => SETTING_NAME.test(name));
  const settingValue = names.findIndex((name) => SETTING_VALUE.test(name));
  const settings = settingName >= 0 && settingValue >= 0;
  if (secret.length === 0 && !settings) return undefined;
  const read = readRows(after);
  if (read === undefined) return undefined;
  const edits: [number, number, string][] = [];
  // Each placeholder in a secret's column: its parameter's index (flat, in the order of the rows' placeholders) and its place in its row.
  const bound: { flat: number; inRow: number }[] = [];
  let ordinal = 0;
  for (const row of read.rows) {
    let inRow = 0;
    const named = settings ? /^\\*["'`]([^"'`\\]{1,128})\\*["'`]$/.exec(row.values[settingName]?.text ?? "")?.[1] : undefined;
    const secretSetting = named !== undefined && reading.secretColumn(named);
    row.values.forEach((value, index) => {
      const placeholder = PLACEHOLDER.exec(value.text);
      const isSecret = secret.includes(index) || (secretSetting && index === settingValue);
      if (placeholder !== null) {
        const numbered = placeholder[1] ?? placeholder[2] ?? placeholder[3];
        const flat = numbered === undefined ? ordinal : Number(numbered) - 1;
        if (numbered === undefined) ordinal++;
        if (isSecret) bound.push({ flat, inRow });
        inRow++;
        return;
      }
      if (!isSecret || row.values.length !== names.length) return;
      const edit = takeValue(value, reading);
      if (edit !== undefined) edits.push(edit);
    });
  }
  edits.push(...boundEdits(after, read.end, bound, read.rows.length === 1, reading));
  return applyEdits(after, edits);
}

/**
 * The edits that take the bound parameters a statement's secret placeholders stand for, in the
 * parameters' list after `from` (the statement's end): by their flat index, or, for executemany's
 * list of rows after a statement of one row, by their place in each row.
 */
function boundEdits(text: string, from: number, bound: readonly { flat: number; inRow: number }[], oneRow: boolean, reading: Reading): [number, number, string][] {
  if (bound.length === 0) return [];
  const label = PARAMETERS_LABEL.exec(text.slice(from, from + 512));
  if (label === null) return binderEdits(text, from, bound, reading);
  const parameters = readValues(text, from + label[0].length);
  if (parameters === undefined) return [];
  const targets = parameters.rows.length > 0 && oneRow ? parameters.rows.flatMap((row) => bound.map(({ inRow }) => row[inRow])) : bound.map(({ flat }) => parameters.values[flat]);
  // Only a literal: a bare parameter is code's variable (`client.query("…", [name, hashedPassword])`) or a number.
  return targets.flatMap((value) => {
    const edit = value === undefined || quoteAt(value.text.replace(/^[bBuU]{1,2}(?=['"])/, ""), 0) === undefined ? undefined : takeValue(value, reading);
    return edit === undefined ? [] : [edit];
  });
}

/** A line of Hibernate's binder: a parameter's number and its value (`binding parameter [2] as [VARCHAR] - […]`, Hibernate 6's `binding parameter (2:VARCHAR) <- […]`). */
const HIBERNATE_BINDING = /binding parameter (?:\[(\d{1,4})\] as \[\w{1,32}\] - |\((\d{1,4}):\w{1,32}\) <- )\[([^\]\r\n]{0,1024})\]/;

/**
 * The edits that take the bound parameters a statement's secret placeholders stand for, as
 * Hibernate's binder logs them on the lines right after the statement's (each a parameter's number
 * and its value in brackets); the first line that is no binder's ends them.
 */
function binderEdits(text: string, from: number, bound: readonly { flat: number }[], reading: Reading): [number, number, string][] {
  const edits: [number, number, string][] = [];
  let lineStart = text.indexOf("\n", from) + 1;
  for (let count = 0; lineStart > 0 && count < 1024; count++) {
    const next = text.indexOf("\n", lineStart);
    const lineEnd = next < 0 ? text.length : next;
    const binding = HIBERNATE_BINDING.exec(text.slice(lineStart, lineEnd));
    if (binding === null) break;
    const number = Number(binding[1] ?? binding[2]);
    const value = binding[3] ?? "";
    if (bound.some(({ flat }) => flat === number - 1) && value !== "") {
      const start = lineStart + binding.index + binding[0].length - 1 - value.length;
      const edit = takeValue({ start, end: start + value.length, text: value }, reading);
      if (edit !== undefined) edits.push(edit);
    }
    lineStart = next + 1;
  }
  return edits;
}

/** The text with each edit (start, end, replacement) made; undefined when there is none. */
function applyEdits(text: string, edits: [number, number, string][]): string | undefined {
  if (edits.length === 0) return undefined;
  let out = text;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + replacement + out.slice(end);
  return out;
}

/**
 * `UPDATE`'s `SET` and the text after it up to 4,096 characters, not past the next statement.
 * Groups: the text after `SET`.
 */
export const SQL_UPDATE = new RegExp(String.raw`\bUPDATE\s+[^\s(]{1,256}\s+SET\s((?:(?!\b(?:INSERT|REPLACE|UPDATE)\b)[^]){0,4096})`, "gi");

/** Where `SET`'s assignments end: a clause's keyword, a comment, the statement's end. */
const SET_END = /^(?:WHERE|RETURNING|FROM|OUTPUT|LIMIT|ORDER)\b|^--|^;|^\)|^\]/i;

/**
 * The text after an `UPDATE`'s `SET` (SQL_UPDATE's group) with each value assigned to a secret's
 * column taken when it is bound (`SET "password" = $1 … -- PARAMETERS: ["…", 5]`); a literal
 * assigned there is the secret fields' rule's. Undefined when none is.
 */
export function takeUpdatedSecrets(after: string, reading: Reading): string | undefined {
  const bound: { flat: number; inRow: number }[] = [];
  let ordinal = 0;
  let at = 0;
  for (let count = 0; count < 256; count++) {
    const assignment = /^\s*([\w."`[\]\\]{1,128})\s*=\s*/.exec(after.slice(at, at + 512));
    if (assignment === null || SET_END.test(assignment[1] ?? "")) break;
    const valueStart = at + assignment[0].length;
    let end = valueStart;
    let depth = 0;
    while (end < after.length) {
      const quote = quoteAt(after, end);
      if (quote !== undefined) {
        end = stringEnd(after, end, quote);
        continue;
      }
      const c = after[end];
      if (c === "(") depth++;
      else if (c === ")" && depth > 0) depth--;
      else if (depth === 0 && (c === "," || c === ")" || c === ";" || c === "\r" || c === "\n" || (/\s/.test(c ?? "") && SET_END.test(after.slice(end + 1, end + 16).trimStart())))) break;
      end++;
    }
    const value = after.slice(valueStart, end).trim();
    const placeholder = PLACEHOLDER.exec(value);
    if (placeholder !== null) {
      const numbered = placeholder[1] ?? placeholder[2] ?? placeholder[3];
      if (reading.secretColumn(columnName(assignment[1] ?? ""))) bound.push({ flat: numbered === undefined ? ordinal : Number(numbered) - 1, inRow: 0 });
      if (numbered === undefined) ordinal++;
    }
    at = end;
    if (after[at] !== ",") break;
    at++;
  }
  return applyEdits(after, boundEdits(after, at, bound, false, reading));
}
