/**
 * Values written into a secret's column by SQL's `INSERT` and `UPDATE`, as database errors and
 * ORMs' query logs print them: inline (`INSERT INTO users (name, password) VALUES ('bob', '…')`, a
 * call around it, `crypt('…', gen_salt('bf'))`, Laravel's substituted `values (bob, …)`) or as
 * bound parameters after the statement (SQLAlchemy's `[parameters: ('bob', '…')]`, TypeORM's
 * `-- PARAMETERS: ["bob","…"]`, Doctrine's `with params ["bob", "…"]`, Hibernate's binder lines,
 * PostgreSQL's `DETAIL:  parameters: $1 = 'bob', …`, Drizzle's `params: bob,…`); and parameters
 * a `WHERE` clause compares with a secret's column (`"sessions"."token" = $1`). A column's name
 * says which value is a secret; the order of the placeholders (`?`, `%s`) or their numbers (`$2`)
 * say which parameter is.
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
  /** Values a display left out (SQLAlchemy's `... 1900 parameters truncated ...`): how many, and before which value. */
  readonly gap?: { readonly at: number; readonly count: number };
  readonly end: number;
}

/** An edit of the text after a statement's keyword: where, and what replaces it. */
type Edit = [start: number, end: number, replacement: string];

/** How to read a value. */
interface Reading {
  /** Whether a name is a secret's (`password`, `api_token`). */
  readonly secretColumn: (name: string) => boolean;
  /** Whether a value's text is one to take (not a placeholder, a mask or a marker). */
  readonly secretText: (text: string) => boolean;
  /** What stands for a taken value. */
  readonly marker: string;
  /** Whether bare values are values (Laravel's error substitutes its bindings unquoted: `values (bob, …)`); else they are code's names. */
  readonly substituted: boolean;
}

/**
 * Where another statement starts, which ends this one's text: `INSERT … INTO`, `REPLACE INTO`; for
 * an UPDATE, `UPDATE … SET` too (an INSERT's value may quote one: `'UPDATE users SET plan = 2'`).
 */
const NEXT_INSERT = String.raw`\b(?:INSERT|REPLACE)\s+(?:[A-Z_]+\s+){0,2}INTO\b`;
const NEXT_STATEMENT = String.raw`(?:${NEXT_INSERT}|\bUPDATE\s+[^\s(]{1,256}\s+SET\b)`;

/**
 * The statement up to its list of columns and `VALUES` (MySQL's `REPLACE`, `INSERT IGNORE`,
 * SQLite's `INSERT OR REPLACE` too), and the text after it up to 65,536 characters, not past the
 * next statement. Groups: the columns, the text after `VALUES`. Each part stops at a character the
 * next cannot start with, so a text of many statements is read once.
 */
export const SQL_INSERT = new RegExp(
  String.raw`\b(?:INSERT|REPLACE)\s+(?:(?:IGNORE|OR[ \t]+[A-Z]+|LOW_PRIORITY|DELAYED|HIGH_PRIORITY)\s+)?INTO\s+[^\s(]{1,256}\s*\(([^();]{1,4096})\)\s*VALUES?\b((?:(?!${NEXT_INSERT})[^]){0,65536})`,
  "gi",
);

/**
 * `UPDATE`'s `SET` (after the table and an alias) and the text after it up to 4,096 characters, not
 * past the next statement. Groups: the text after `SET`.
 */
export const SQL_UPDATE = new RegExp(String.raw`\bUPDATE\s+[^\s(]{1,256}(?:\s+(?:AS\s+)?(?!SET\b)\w{1,32})?\s+SET\s((?:(?!${NEXT_STATEMENT})[^]){0,4096})`, "gi");

/**
 * Where bound parameters follow a statement, on its line or up to eight lines on (Prisma's
 * `prisma:query Params: […]`, a `RETURNING` line first): SQLAlchemy's `[parameters:` and its echo's
 * `[generated in 0.00015s]`, TypeORM's `-- PARAMETERS:`, Doctrine's `with params`, Django's `args=`,
 * a field's or a label's `params`, `parameters`, `bindings`, `binds`; or the next argument after the
 * statement's string in code (`client.query('…', ['bob', '…'])`, `cursor.execute("…", (…))`, over
 * lines) and the arguments after it (Go's `db.Exec("…", "bob", "…")`); Sequelize's quoted values
 * after the statement's `;` to the line's end. Groups: the code's comma; the `;`.
 */
const PARAMETERS_LABEL = /^(?:[^\r\n]{0,4096}\r?\n){0,8}?[^\r\n]{0,4096}?(?:(?:\[parameters:|--[ \t]*PARAMETERS:|\bwith params|\[(?:generated in|cached since|no key|raw sql|insertmanyvalues)[^\]\r\n]{0,64}\]|(?:\b|(?<=\\[nrt]))(?:params|parameters|bindings|binds|args)(?:\\*["'])?[:=]?)[ \t]*(?=[[(])|\\*["'`][ \t]*(,)\s*(?:(?=[[(])|(?=\\*["'`][^"'`\r\n\\]{0,256}\\*["'`][ \t]*[,)]))|(;)[ \t]*(?=\\*["'`][^"'`\r\n\\]{0,256}\\*["'`][ \t]*(?:,|[\r\n]|$)))/i;

/** Quoted items one after another, each with its comma: a list's items, as a failed code's comma reads them. */
const QUOTED_RUN = /^(?:\\*["'`][^"'`\r\n\\]{0,256}\\*["'`][ \t]*,\s*)*/;
/** PostgreSQL's log of a statement's parameters (`DETAIL:  parameters: $1 = 'bob', $2 = '…'`), each by its number; its line within four after the statement's. */
const POSTGRES_PARAMETERS = /^(?:[^\r\n]{0,1024}\r?\n){1,4}?[^\r\n]{0,256}?DETAIL:[ \t]+parameters:[ \t]*/;
const POSTGRES_PARAMETER = /\$(\d{1,4}) = ('(?:[^'\r\n]|''){0,1024}'|NULL)(?:, |$|(?=[\r\n]))/y;

/** A line of Hibernate's binder: a parameter's number and its value (`binding parameter [2] as [VARCHAR] - […]`, Hibernate 6's `binding parameter (2:VARCHAR) <- […]`). */
const HIBERNATE_BINDING = /binding parameter (?:\[(\d{1,4})\] as \[\w{1,32}\] - |\((\d{1,4}):\w{1,32}\) <- )\[([^\]\r\n]{0,1024})\]/;

/** A placeholder at a value's place: by order (`?`, `%s`) or by number (`$2`, `?2`, `:2`), a cast after it (`$2::VARCHAR`). Groups: the number. */
const PLACEHOLDER = /(?<![\w$?%:])(?:\?|%s|\$(\d{1,4})|\?(\d{1,4})|(?<!:):(\d{1,4}))(?![\w(])/y;
/** A value that names its parameter (`:password`, `%(password)s`, `@password`): bound by name, as a mapping's field. */
const NAMED_PLACEHOLDER = /^(?::[A-Za-z_]\w*|%\([A-Za-z_]\w*\)s|@[A-Za-z_]\w*)(?:::[\w ()[\]]{1,40})?$/;
/** SQL's words that are no value of a row's own (`NULL`, `DEFAULT`, `CURRENT_TIMESTAMP`). */
const SQL_KEYWORD = /^(?:NULL|DEFAULT|TRUE|FALSE|CURRENT_(?:TIMESTAMP|DATE|TIME|USER)|NOW\(\)|None|nil|undefined)$/i;
/** A cast after a value (`'…'::text`, `$2::VARCHAR`). */
const CAST = /::[\w ()[\]]{1,40}$/;
/** SQLAlchemy's marks where it shortens a long list of parameters or of their rows. */
const TRUNCATED_PARAMETERS = /\.\.\. (\d{1,9}) parameters truncated \.\.\./;
const SHOWN_ROWS = /^\.\.\. displaying \d{1,9} of \d{1,9} total bound parameter sets \.\.\.$/;
/** Whether the text between a list's last value and a `(` is nothing, or SQLAlchemy's mark of rows not shown. */
const onlySpaceOrShownRows = (between: string): boolean => {
  const trimmed = between.trim();
  return trimmed === "" || SHOWN_ROWS.test(trimmed);
};
/** A settings table's columns: the setting's name (`key`, `name`, `option_name`, `setting_key`) and its value (`value`, `option_value`). */
const SETTING_NAME = /^(?:[a-z]+_)?(?:key|name)$/i;
const SETTING_VALUE = /^(?:[a-z]+_)?value$/i;
/** Whether a settings' value, its quotes cut off, holds a space: a text (a translation table's `'Reset your password'`), not a secret. */
const spacedSetting = (value: string | undefined): boolean => /\s/.test(value?.slice(1, -1) ?? " ");

/** The index after a run of backslashes at `at` (itself when there is none). */
function backslashesEnd(text: string, at: number): number {
  let end = at;
  while (text[end] === "\\") end++;
  return end;
}

/** A quote that opens a string at `at`: `'`, `"`, a backtick, or an escaped `"` (JSON's, any depth); its delimiter or undefined. */
function quoteAt(text: string, at: number): string | undefined {
  const c = text[at];
  if (c === "'" || c === '"' || c === "`") return c;
  if (c !== "\\") return undefined;
  const end = backslashesEnd(text, at);
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
    if (text[i] === "\\") {
      // A run of backslashes at once: in a plain string each escapes the next, so an odd run escapes
      // the character after it; in JSON's escaped quotes a run not this string's quote (checked
      // above, at the run's start) is a deeper level's, its quote with it.
      const end = backslashesEnd(text, i);
      i = quote.length === 1 ? ((end - i) % 2 === 1 ? end + 1 : end) : text[end] === '"' ? end + 1 : end;
      continue;
    }
    i++;
  }
  return text.length;
}

/** Whether the string opened at the start of `text` by `quote` closes at its end (not cut short before it). */
const closesAtEnd = (text: string, quote: string): boolean => text.length >= 2 * quote.length && text.endsWith(quote) && !(quote.length === 1 && /(?<!\\)(?:\\\\)*\\$/.test(text.slice(0, -1)));

/** The index after what starts at `at` and is read whole: a string, or a run of backslashes that opens none. */
function skipWhole(text: string, at: number): number {
  const quote = quoteAt(text, at);
  if (quote !== undefined) return stringEnd(text, at, quote);
  return text[at] === "\\" ? backslashesEnd(text, at) : at;
}

/**
 * The values of the bracketed list at `open` (`(` or `[`; for Go's arguments a comma, closed by
 * `)`; `closing` a line break for Sequelize's values after `;`), split at commas outside strings
 * and inner brackets, each trimmed; the rows of a list of lists (`nested`: one level down, no
 * deeper); SQLAlchemy's shortened lists read around their mark. Undefined when it holds more than
 * 1,024 values, or never closes within the text, unless `unclosed` (a row cut short with the text).
 */
function readValues(text: string, open: number, nested = true, closing = text[open] === "[" ? "]" : ")", unclosed = false): Values | undefined {
  const values: Value[] = [];
  const rows: Value[][] = [];
  let gap: { at: number; count: number } | undefined;
  let start = open + 1;
  let depth = 0;
  let i = open + 1;
  const push = (end: number): void => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed === "") return;
    const truncated = trimmed.includes(" parameters truncated ...") ? TRUNCATED_PARAMETERS.exec(trimmed) : null;
    if (truncated === null) {
      values.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed });
      return;
    }
    const head = trimmed.slice(0, truncated.index).trimEnd();
    const count = truncated[1] ?? "0";
    const tail = trimmed.slice(truncated.index + truncated[0].length).trimStart();
    if (head !== "") values.push({ start: start + lead, end: start + lead + head.length, text: head });
    gap = { at: values.length, count: Number(count) };
    const tailStart = start + lead + trimmed.length - tail.length;
    if (tail !== "") values.push({ start: tailStart, end: tailStart + tail.length, text: tail });
  };
  while (i < text.length) {
    const skipped = skipWhole(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = text[i];
    if (closing === "\n" && depth === 0 && (c === "\n" || c === "\r")) {
      push(i);
      return { values, rows: [], gap, end: i };
    }
    if (c === "(" || c === "[") {
      // A row of a list of rows, alone in its place or after SQLAlchemy's mark of rows not shown: read as a value too.
      if (nested && depth === 0 && values.length === rows.length && onlySpaceOrShownRows(text.slice(start, i))) {
        const row = readValues(text, i, false);
        if (row === undefined) return undefined;
        rows.push([...row.values]);
        values.push({ start: i, end: row.end, text: text.slice(i, row.end) });
        i = row.end;
        start = i;
        continue;
      }
      depth++;
    } else if (c === ")" || c === "]") {
      if (depth === 0) {
        if (c !== closing) return undefined;
        push(i);
        return { values, rows: rows.length > 0 && rows.length === values.length ? rows : [], gap, end: i + 1 };
      }
      depth--;
    } else if (c === "," && depth === 0) {
      push(i);
      if (values.length > 1024) return undefined;
      start = i + 1;
    }
    i++;
  }
  if (!unclosed && closing !== "\n") return undefined;
  push(text.length);
  return { values, rows: [], gap, end: text.length };
}

/** The rows after `VALUES` (`(…), (…)`), at most 4,096, and where they end; the last one cut short with the text when `cut` (the text is the input's end, not a cap's). */
function readRows(text: string, cut: boolean): { rows: Values[]; end: number } | undefined {
  const rows: Values[] = [];
  let at = 0;
  for (;;) {
    const open = /^\s*\(/.exec(text.slice(at, at + 4096));
    if (open === null) break;
    // The last row may be cut short with the text (a message capped at a length): what it holds is read.
    const row = readValues(text, at + open[0].length - 1, false, ")", cut);
    if (row === undefined) break;
    rows.push(row);
    at = row.end;
    const comma = /^\s*,/.exec(text.slice(at, at + 256));
    if (comma === null || rows.length >= 4096) break;
    at += comma[0].length;
  }
  return rows.length === 0 ? undefined : { rows, end: at };
}

/** A placeholder in a text between `from` and `to`, outside strings: where, and its number if it has one. */
interface Placeholder {
  readonly at: number;
  readonly end: number;
  readonly number: number | undefined;
}

/** A memo of a forward search: the first match of `pattern` at or after an index, for indexes that only grow. */
function forwardSearch(text: string, pattern: RegExp): (at: number) => number {
  let found = -2;
  let from = -1;
  return (at) => {
    // A search from `from` answers for every later index up to what it found.
    if (found === -2 || at < from || (found !== -1 && found < at)) {
      pattern.lastIndex = at;
      found = pattern.exec(text)?.index ?? -1;
      from = at;
    }
    return found < 0 ? text.length : found;
  };
}

/**
 * SQL's comments in `text`: for an index, the index after the comment that starts there (`-- …` to
 * its line's end, real or JSON's escaped; `/* … *\/`), or the index itself. A comment starts after a
 * space (JSON's escaped ones too), a bracket, a comma or a `;` only (`image/*` in a value is none). Its end is found with a
 * forward search, so a text of many comments is read once.
 */
function commentSkipper(text: string): (at: number) => number {
  const lineEnd = forwardSearch(text, /[\r\n]|(?<!\\)(?:\\\\)*\\[nr]/g);
  const close = forwardSearch(text, /\*\//g);
  return (at) => {
    if (at > 0 && !/[\s(),;]/.test(text[at - 1] ?? "") && !/\\[nrt]$/.test(text.slice(Math.max(0, at - 2), at))) return at;
    if (text.startsWith("--", at)) return lineEnd(at);
    if (text.startsWith("/*", at)) {
      const end = close(at + 2);
      return end === text.length ? at : end + 2;
    }
    return at;
  };
}

/** The placeholders between `from` and `to`, outside strings and comments, in order (`lower(?)`, `COALESCE(?, name)`, `$2::VARCHAR` too). */
function placeholders(text: string, from: number, to: number): Placeholder[] {
  const found: Placeholder[] = [];
  const comment = commentSkipper(text);
  let i = from;
  while (i < to) {
    const afterComment = comment(i);
    const skipped = afterComment !== i ? afterComment : skipWhole(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    PLACEHOLDER.lastIndex = i;
    const match = PLACEHOLDER.exec(text);
    if (match !== null && match.index + match[0].length <= to) {
      const number = match[1] ?? match[2] ?? match[3];
      found.push({ at: i, end: i + match[0].length, number: number === undefined ? undefined : Number(number) });
      i += match[0].length;
      continue;
    }
    i++;
  }
  return found;
}

/** A column's name without its quotes, brackets, table or comments (`"users"."password"`, `` `api_token` ``, `[Password]`, `password -- bcrypt`). */
const columnName = (column: string): string =>
  column
    .replace(/--[^\r\n]*|\/\*[^]*?\*\//g, "")
    .replace(/[\\"`[\]]/g, "")
    .trim()
    .split(".")
    .pop() ?? "";

/**
 * The edit that takes a value: its text inside its quotes (a cast after it too), a call's first
 * quoted argument, or, where bare values are values (`reading.substituted`), the bare value; none
 * for a keyword, a placeholder, a number, or a quoted piece of code's concatenation (`'" + password
 * + "'`). `bound`: a bound parameter's, which must be quoted (a bare one is code's variable).
 */
function takeValue(value: Value, reading: Reading, bound = false): Edit | undefined {
  const unprefixed = value.text.replace(/^[bBuUnNeE]{1,2}(?=['"])/, "");
  const prefix = value.text.length - unprefixed.length;
  const body = unprefixed.replace(CAST, "");
  const quote = quoteAt(body, 0);
  if (quote !== undefined) {
    const end = stringEnd(body, 0, quote);
    if (end !== body.length) return undefined;
    // A string cut short with the input is read to its end, or to a JSON string's end or a line break
    // if one comes first (`'FakePw…","truncated":true}`: the cut value is what comes before it).
    const closed = closesAtEnd(body, quote);
    const cut = closed ? "" : body.slice(quote.length, end);
    const inner = closed ? body.slice(quote.length, end - quote.length) : cut.slice(0, cut.search(/(?<!\\)"|[\r\n]|$/));
    if (!closed && inner.length > 4096) return undefined;
    if (inner === "" || !reading.secretText(inner) || /^\s*["'`]\s*(?:\+|\.|\|\|)|(?:\+|\.|\|\|)\s*["'`]\s*$/.test(inner)) return undefined;
    const start = value.start + prefix + quote.length;
    return [start, start + inner.length, reading.marker];
  }
  if (bound || SQL_KEYWORD.test(body) || NAMED_PLACEHOLDER.test(body) || placeholders(body, 0, body.length).length > 0) return undefined;
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
  if (!reading.substituted || /^-?\d+(?:\.\d+)?$/.test(body) || !reading.secretText(body)) return undefined;
  return [value.start, value.start + body.length, reading.marker];
}

/** A secret's placeholder: its parameter's index among the statement's (flat) and among its row's. */
interface Bound {
  readonly flat: number;
  readonly inRow: number;
  /** Whether its placeholder has a number (`$2`): its place does not depend on the placeholders before it. */
  readonly numbered?: boolean;
}

/**
 * The parameters a statement's placeholders stand for, found after `from` (the end of what was
 * read of it), and the edits that take those of its secret placeholders (`bound`): by their flat
 * index (`ordinal`: the statement's placeholders by order before `from`; with those after it, up to
 * the list, a list by order must hold as many; `atLeast`: the fewest it may hold, for Django's
 * inline values), or,
 * for executemany's list of rows after a statement of one row, by their place in each row; in a
 * list after a label or a code's call, in Hibernate's binder lines, in PostgreSQL's `DETAIL`, in
 * Drizzle's `params:` line. `prefixKnown` false: the statement's start was not read (a WHERE
 * clause's), so placeholders by order are placed from the list's end, and a list may hold more.
 */
function boundEdits(text: string, from: number, bound: readonly Bound[], ordinal: number, oneRow: boolean, reading: Reading, atLeast = 0, prefixKnown = true): Edit[] {
  if (bound.length === 0) return [];
  // The first list that reads as the statement's parameters: a RETURNING list's `"id","name"` may look like code's arguments first.
  let searched = from;
  for (let attempt = 0; attempt < 4; attempt++) {
    const label = PARAMETERS_LABEL.exec(text.slice(searched, searched + 8192));
    if (label === null) break;
    // A code's arguments after the statement's string need the statement's count: a WHERE clause's own `IN ('web', 'api')` reads as them.
    if (!prefixKnown && label[1] !== undefined) {
      searched += label[0].length;
      continue;
    }
    // A list after the label or the code's comma; Go's arguments after the comma up to the call's `)`; Sequelize's to the line's end.
    const listAt = searched + label[0].length;
    const open = text[listAt] === "[" || text[listAt] === "(" ? listAt : label[1] !== undefined ? searched + label[0].lastIndexOf(",") : label[2] !== undefined ? searched + label[0].lastIndexOf(";") : -1;
    searched = Math.max(listAt, searched + 1);
    const parameters = open < 0 ? undefined : readValues(text, open, true, label[2] !== undefined ? "\n" : text[open] === "[" ? "]" : ")");
    if (parameters === undefined) {
      // A run of quoted items read as a code's arguments (a RETURNING list's `"id", "name", …`) is passed whole.
      if (label[1] !== undefined) searched = listAt + (QUOTED_RUN.exec(text.slice(listAt, listAt + 8192))?.[0].length ?? 0);
      continue;
    }
    // Drizzle's joined list whose first item is bracketed (a JSON array, a marker): read as joined.
    if (text[parameters.end] === "," && /params: $/.test(label[0])) break;
    // A list that is not the statement's is passed whole: its own items are no label.
    searched = Math.max(searched, parameters.end);
    const counted = ordinal + placeholders(text, from, open).filter(({ number }) => number === undefined).length;
    const targets = parameterTargets(parameters, bound, counted, oneRow, atLeast, prefixKnown);
    if (targets === undefined) continue;
    return targets.flatMap((value) => {
      const edit = value === undefined ? undefined : takeValue(value, reading, true);
      return edit === undefined ? [] : [edit];
    });
  }
  return [...binderEdits(text, from, bound, ordinal, reading, prefixKnown), ...postgresEdits(text, from, bound, reading), ...joinedEdits(text, from, bound, ordinal, reading)];
}

/** Bound parameters by order moved `shift` places on (those the statement's unread start holds); numbered ones stay. */
const shifted = (bound: readonly Bound[], shift: number): readonly Bound[] => (shift === 0 ? bound : bound.map((each) => (each.numbered === true ? each : { ...each, flat: each.flat + shift })));

/**
 * The parameters a statement's secret placeholders stand for in a list: by their place in each row
 * of executemany's rows (each as long as the statement's row), or by their flat index in a list as
 * long as the statement's placeholders by order (`counted`; SQLAlchemy's shortened list counts what
 * it left out), at least `atLeast` long. Undefined when the list is not the statement's.
 */
function parameterTargets(parameters: Values, bound: readonly Bound[], counted: number, oneRow: boolean, atLeast: number, prefixKnown: boolean): (Value | undefined)[] | undefined {
  if (parameters.rows.length > 0 && oneRow) return parameters.rows.flatMap((row) => (counted > 0 && row.length !== counted ? [] : bound.map(({ inRow }) => row[inRow])));
  const gap = parameters.gap ?? { at: parameters.values.length, count: 0 };
  const length = parameters.values.length + gap.count;
  // By order, the list must hold as many as the statement's placeholders, or the places are not known (a CTE's `?` before the INSERT);
  // with the statement's start unread, at least as many, the extra ones the start's.
  // Nor is a list too short for a secret's place (`$2` in a list of one: a later line's `IN ('web', 'api')`).
  if ((prefixKnown ? counted > 0 && length !== counted : length < counted) || length < atLeast || bound.some(({ flat }) => flat >= length)) return undefined;
  return shifted(bound, prefixKnown ? 0 : length - counted).map(({ flat }) => (flat < gap.at ? parameters.values[flat] : flat < gap.at + gap.count ? undefined : parameters.values[flat - gap.count]));
}

/**
 * The edits that take the bound parameters a statement's secret placeholders stand for, as
 * Hibernate's binder logs them on the lines after the statement's (each a parameter's number and
 * its value in brackets; up to eight of the statement's lines before them); the first line that is
 * no binder's after them ends them.
 */
function binderEdits(text: string, from: number, bound: readonly Bound[], ordinal: number, reading: Reading, prefixKnown: boolean): Edit[] {
  const bindings: { number: number; start: number; value: string }[] = [];
  let firstLine = -1;
  let lineStart = text.indexOf("\n", from) + 1;
  for (let count = 0; lineStart > 0 && count < 1024; count++) {
    const next = text.indexOf("\n", lineStart);
    const lineEnd = next < 0 ? text.length : next;
    const binding = HIBERNATE_BINDING.exec(text.slice(lineStart, lineEnd));
    // Up to eight of the statement's own lines first (Hibernate's format_sql writes `where …` on its own).
    if (binding === null) {
      if (bindings.length > 0 || count >= 8) break;
      lineStart = next + 1;
      continue;
    }
    if (firstLine < 0) firstLine = lineStart;
    const value = binding[3] ?? "";
    bindings.push({ number: Number(binding[1] ?? binding[2]), start: lineStart + binding.index + binding[0].length - 1 - value.length, value });
    lineStart = next + 1;
  }
  if (bindings.length === 0) return [];
  // With the statement's start unread, the parameters it holds come first: as many as the binder lists more than were read.
  const counted = prefixKnown ? 0 : ordinal + placeholders(text, from, firstLine).filter(({ number }) => number === undefined).length;
  const targets = shifted(bound, prefixKnown ? 0 : Math.max(0, Math.max(...bindings.map(({ number }) => number)) - counted));
  return bindings.flatMap(({ number, start, value }) => {
    if (value === "" || !targets.some(({ flat }) => flat === number - 1)) return [];
    const edit = takeValue({ start, end: start + value.length, text: value }, { ...reading, substituted: true });
    return edit === undefined ? [] : [edit];
  });
}

/** The edits that take the bound parameters a statement's secret placeholders stand for, as PostgreSQL's `DETAIL:  parameters:` line lists them by number. */
function postgresEdits(text: string, from: number, bound: readonly Bound[], reading: Reading): Edit[] {
  const label = POSTGRES_PARAMETERS.exec(text.slice(from, from + 8192));
  if (label === null) return [];
  const edits: Edit[] = [];
  POSTGRES_PARAMETER.lastIndex = from + label[0].length;
  for (let count = 0; count < 1024; count++) {
    const parameter = POSTGRES_PARAMETER.exec(text);
    if (parameter === null) break;
    const [, number = "0", value = ""] = parameter;
    if (bound.some(({ flat }) => flat === Number(number) - 1)) {
      const start = parameter.index + parameter[0].indexOf(" = ") + 3;
      const edit = takeValue({ start, end: start + value.length, text: value }, reading, true);
      if (edit !== undefined) edits.push(edit);
    }
  }
  return edits;
}

/**
 * Drizzle's parameters (`Failed query: …\nparams: bob,…`): the list joined by commas, on a line of
 * its own within eight after the statement's (after JSON's escaped line break too, or right after
 * the statement's last character where its line break was dropped, as a URL's parser drops them).
 * Groups: the escaped line break.
 */
const JOINED_PARAMETERS = /(?:\r?\n|(\\(?:r\\)?n)|(?<=[\d)?"'`\]]))params: /;
/** A line break; in JSON, an escaped one (not an escaped backslash's `n`) or the string's closing quote. Groups (in JSON): the escaped backslashes before it, and it. */
const LINE_END = /\r?\n|\r/;
const ESCAPED_LINE_END = /\r?\n|\r|(?<!\\)((?:\\\\)*)(\\[nr]|")/;

/**
 * The items of a joined list starting at `start`: to its line's end, and on over up to eight more
 * lines while it holds fewer than `total` (a value's own line breaks); in JSON (`escaped`) not
 * past its string's end.
 */
function joinedItems(text: string, start: number, total: number, escaped: boolean): Value[] {
  let items: Value[] = [];
  let from = start;
  for (let lines = 0; lines <= 8; lines++) {
    const rest = text.slice(from, from + 65_536);
    const stop = (escaped ? ESCAPED_LINE_END : LINE_END).exec(rest);
    const end = stop === null ? from + rest.length : from + stop.index + (stop[1]?.length ?? 0);
    items = [];
    let at = start;
    for (const item of text.slice(start, end).split(",", 4097)) {
      items.push({ start: at, end: at + item.length, text: item });
      at += item.length + 1;
    }
    if (items.length >= total || stop === null || stop[2] === '"') break;
    from = end + (stop[2]?.length ?? stop[0].length);
  }
  return items;
}

/**
 * The edits that take the bound parameters a statement's secret placeholders stand for in
 * Drizzle's `params:` line. Joined, a value's own commas split it too: when the line holds more
 * items than the statement's parameters (as many as its placeholders by order, or its largest
 * number), a secret's value runs from its place over as many items more, all taken (so do the
 * parameters of a statement's start that was not read).
 */
function joinedEdits(text: string, from: number, bound: readonly Bound[], ordinal: number, reading: Reading): Edit[] {
  const window = text.slice(from, from + 8192);
  const label = JOINED_PARAMETERS.exec(window);
  if (label === null || (window.slice(0, label.index).match(/\r?\n|\\(?:r\\)?n/g) ?? []).length > 8) return [];
  const start = from + label.index + label[0].length;
  // In JSON (an escaped line break before the list, or the statement's escaped quotes), the list ends with its string.
  const escaped = label[1] !== undefined || text.slice(Math.max(0, from - 4096), from + label.index).includes('\\"');
  const statement = placeholders(text, 0, from + label.index);
  const total = Math.max(ordinal + statement.filter(({ at: place, number }) => place >= from && number === undefined).length, ...statement.map(({ number }) => number ?? 0));
  const items = joinedItems(text, start, total, escaped);
  const spare = items.length - total;
  if (spare < 0 || items.length > 4096) return [];
  return bound.flatMap(({ flat }) => {
    const first = items[flat];
    const last = items[flat + spare];
    if (first === undefined || last === undefined) return [];
    const value = text.slice(first.start, last.end);
    return value === "" || !reading.secretText(value) ? [] : [[first.start, last.end, reading.marker] satisfies Edit];
  });
}

/** The text with each edit made, built once; undefined when there is none. */
function applyEdits(text: string, edits: readonly Edit[]): string | undefined {
  if (edits.length === 0) return undefined;
  const parts: string[] = [];
  let at = 0;
  for (const [start, end, replacement] of [...edits].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    parts.push(text.slice(at, start), replacement);
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

/**
 * The placeholders of a row's values and the secret ones among them, counted on from `ordinal`
 * (the statement's placeholders by order before the row): each secret value's first placeholder is
 * its parameter (`crypt(?, gen_salt('bf'))`).
 */
function rowPlaceholders(text: string, row: Values, isSecret: (index: number) => boolean, ordinal: number): { bound: Bound[]; ordinal: number } {
  const bound: Bound[] = [];
  let inRow = 0;
  let next = ordinal;
  row.values.forEach((value, index) => {
    const found = placeholders(text, value.start, value.end);
    found.forEach((placeholder, k) => {
      const flat = placeholder.number === undefined ? next : placeholder.number - 1;
      if (k === 0 && isSecret(index)) bound.push({ flat, inRow: placeholder.number === undefined ? inRow : placeholder.number - 1 });
      if (placeholder.number === undefined) next++;
      inRow++;
    });
  });
  return { bound, ordinal: next };
}

/**
 * The text after an `INSERT`'s `VALUES` (SQL_INSERT's second group) with each value written into a
 * secret's column taken, inline or as a bound parameter; undefined when none is. `columns` is the
 * statement's list of columns; `atEnd`: `after` runs to the input's end (a row cut short there is
 * read; one cut by SQL_INSERT's cap is not, which would take a part of a value).
 */
export function takeInsertedSecrets(columns: string, after: string, reading: Reading, atEnd = false): string | undefined {
  const names = columns.split(",").map(columnName);
  const secret = new Set(names.flatMap((name, index) => (reading.secretColumn(name) ? [index] : [])));
  // A table of settings' names and values (`(option_name, option_value)`, `(key, value)`): a row whose name is a secret's.
  const settingName = names.findIndex((name) => SETTING_NAME.test(name));
  const settingValue = names.findIndex((name) => SETTING_VALUE.test(name));
  const settings = settingName >= 0 && settingValue >= 0;
  if (secret.size === 0 && !settings) return undefined;
  const read = readRows(after, atEnd);
  if (read === undefined) return undefined;
  const edits: Edit[] = [];
  const bound: Bound[] = [];
  let ordinal = 0;
  for (const row of read.rows) {
    const named = settings ? /^\\*["'`]([^"'`\\]{1,128})\\*["'`]$/.exec(row.values[settingName]?.text ?? "")?.[1] : undefined;
    // A setting's value with spaces is a text, not a secret (a translation table's `('reset_password', 'Reset your password')`).
    const secretSetting = named !== undefined && reading.secretColumn(named) && !spacedSetting(row.values[settingValue]?.text);
    const isSecret = (index: number): boolean => secret.has(index) || (secretSetting && index === settingValue);
    const found = rowPlaceholders(after, row, isSecret, ordinal);
    ordinal = found.ordinal;
    bound.push(...found.bound);
    if (row.values.length !== names.length) continue;
    row.values.forEach((value, index) => {
      if (!isSecret(index)) return;
      const edit = takeValue(value, reading);
      if (edit !== undefined) edits.push(edit);
    });
  }
  // Django's log prints the values inline and again as `args=(…)`: by their place among the rows' values.
  if (bound.length === 0 && ordinal === 0 && edits.length > 0 && read.rows.every((row) => row.values.length === names.length)) {
    read.rows.forEach((row, r) => row.values.forEach((_value, index) => (secret.has(index) ? bound.push({ flat: r * names.length + index, inRow: index }) : undefined)));
    ordinal = read.rows.length * names.length;
  }
  edits.push(...boundEdits(after, read.end, bound, ordinal, read.rows.length === 1, reading));
  return applyEdits(after, edits);
}

/** A literal Django binds as a parameter in an assignment's value: a quoted text, a number, a boolean (`= false`, `"hits" + 1`). */
const DJANGO_LITERAL = /'(?:[^'\r\n]|''){0,1024}'|(?<![\w."])-?\d+(?:\.\d+)?(?![\w."])|\b(?:true|false)\b/gi;

/** Where `SET`'s assignments end: a clause's keyword, a comment, the statement's end. */
const SET_END = /^(?:WHERE|RETURNING|FROM|OUTPUT|LIMIT|ORDER)\b|^--|^;|^\)|^\]/i;

/**
 * The text after an `UPDATE`'s `SET` (SQL_UPDATE's group) with each value assigned to a secret's
 * column taken, inline (a quoted literal, a call's, Laravel's substituted bare value; the columns
 * quoted, `` `password` ``, `[Password]`) or bound (`SET "password" = $1 … -- PARAMETERS: ["…", 5]`).
 * Undefined when none is.
 */
export function takeUpdatedSecrets(after: string, reading: Reading): string | undefined {
  const bound: Bound[] = [];
  const inline: Bound[] = [];
  const edits: Edit[] = [];
  let ordinal = 0;
  let literals = 0;
  let at = 0;
  for (let count = 0; count < 256; count++) {
    const assignment = /^\s*([\w."`[\]\\]{1,128})\s*=\s*/.exec(after.slice(at, at + 512));
    if (assignment === null || SET_END.test(assignment[1] ?? "")) break;
    const valueStart = at + assignment[0].length;
    let end = valueStart;
    let depth = 0;
    while (end < after.length) {
      // A placeholder ends its value: a quote after it closes the code's string the statement is in (`SET password = $1', [...]`).
      if (end === valueStart) {
        PLACEHOLDER.lastIndex = end;
        const placeholder = PLACEHOLDER.exec(after);
        if (placeholder !== null && quoteAt(after, end + placeholder[0].length) !== undefined) {
          end += placeholder[0].length;
          break;
        }
      }
      const skipped = skipWhole(after, end);
      if (skipped !== end) {
        end = skipped;
        continue;
      }
      const c = after[end];
      if (c === "(") depth++;
      else if (c === ")" && depth > 0) depth--;
      else if (depth === 0 && (c === "," || c === ")" || c === ";" || c === "\r" || c === "\n" || (/\s/.test(c ?? "") && SET_END.test(after.slice(end + 1, end + 16).trimStart())))) break;
      end++;
    }
    const raw = after.slice(valueStart, end);
    const value = { start: valueStart + (raw.length - raw.trimStart().length), end: valueStart + raw.trimEnd().length, text: raw.trim() };
    const column = columnName(assignment[1] ?? "");
    const secret = reading.secretColumn(column) || (SETTING_VALUE.test(column) && !spacedSetting(value.text) && secretSettingNamed(after, reading));
    const found = placeholders(after, value.start, value.end);
    found.forEach((placeholder, k) => {
      if (k === 0 && secret) bound.push({ flat: placeholder.number === undefined ? ordinal : placeholder.number - 1, inRow: 0 });
      if (placeholder.number === undefined) ordinal++;
    });
    if (secret && found.length === 0) {
      const edit = takeValue(value, reading);
      if (edit !== undefined) {
        edits.push(edit);
        // Django's log prints the values inline and again as `args=(…)`, one for each literal before (`= NULL` has none, `= false` one).
        inline.push({ flat: literals, inRow: literals });
      }
    }
    literals += (value.text.match(DJANGO_LITERAL) ?? []).length;
    at = end;
    if (after[at] !== ",") break;
    at++;
  }
  if (bound.length === 0 && ordinal === 0 && inline.length > 0) {
    // Django's `args=` holds the assignments' literals, then the WHERE clause's: at least as many as the assignments'.
    edits.push(...boundEdits(after, at, inline, 0, false, reading, literals));
  } else edits.push(...boundEdits(after, at, bound, ordinal, false, reading));
  return applyEdits(after, edits);
}

/** The IN list comparedColumn read last: its `(`, where its items were checked up to, its column. */
interface InList {
  open: number;
  checked: number;
  column: string | undefined;
}

/** A column's name read back from `end` (`"users"."api_token"`, `` `t`.`token` ``, `[ApiKey]`), at most 128 characters. */
function columnBefore(text: string, end: number): string | undefined {
  let start = end;
  while (start > 0 && end - start < 128 && /[\w$."`[\]\\]/.test(text[start - 1] ?? "")) start--;
  return start === end ? undefined : text.slice(start, end);
}

/**
 * The column a placeholder at `at` (ending at `end`) is compared with: `"users"."api_token" = $1`,
 * `token <> ?`, `==`, `!=`, `[NOT] LIKE`, `[NOT] IN ($1, $2)`, a cast or a call around either side
 * (`"t"."key"::text = $1`, `lower(email) = lower($1)`, `= any($1)`), or the other way round (`$1 =
 * token`). Undefined when it is no such comparison's (`>= ?`, a value). `inList` remembers the last
 * IN list's `(`, its column and how far its items were checked, so a long list is read once.
 */
function comparedColumn(text: string, at: number, end: number, inList: InList): string | undefined {
  let i = at;
  const skipSpace = (): void => {
    for (let n = 0; n < 256 && i > 0 && /\s/.test(text[i - 1] ?? ""); n++) i--;
  };
  skipSpace();
  // An IN list's later item: its column is its first item's (placeholders and commas only between them).
  if (text[i - 1] === ",") {
    // SQLAlchemy's expanded IN holds named placeholders' parentheses: `IN (%(api_key_1_1)s, %(api_key_1_2)s)`.
    const between = (from: number): string => text.slice(from, i).replace(/%\(\w{1,64}\)s/g, (named) => "%".repeat(named.length));
    if (inList.open < 0 || inList.checked > i || /[()'"`]/.test(between(inList.checked))) {
      const near = Math.max(0, i - 512);
      const found = between(near).lastIndexOf("(");
      const open = found < 0 ? -1 : near + found;
      if (open < 0 || /[()'"`]/.test(between(open + 1))) return undefined;
      inList.open = open;
      inList.column = comparedColumn(text, open + 1, open + 1, { open: -1, checked: 0, column: undefined });
    }
    inList.checked = i;
    return inList.column;
  }
  if (text[i - 1] === "(") {
    i--;
    skipSpace();
    const word = /(?<![\w$])(\w{1,32})$/.exec(text.slice(Math.max(0, i - 33), i))?.[1];
    if (word === undefined) return undefined;
    i -= word.length;
    if (!/^in$/i.test(word)) {
      // A call around the placeholder (`lower($1)`, `any($1)`): the comparison is before the call.
      skipSpace();
      return operatorColumn(text, i) ?? reversedColumn(text, end);
    }
    skipSpace();
    if (/(?<![\w$])NOT$/i.test(text.slice(Math.max(0, i - 4), i))) i -= 3;
    return columnRead(text, i);
  }
  return operatorColumn(text, i) ?? reversedColumn(text, end);
}

/** The column before a comparison's operator ending at `end` (`=`, `==`, `!=`, `<>`, `[NOT] LIKE`, `ILIKE`). */
function operatorColumn(text: string, end: number): string | undefined {
  let i = end;
  if (text[i - 1] === "=") {
    i--;
    if (text[i - 1] === "!" || text[i - 1] === "=") i--;
    else if (/[<>:]/.test(text[i - 1] ?? "")) return undefined;
  } else if (text.slice(i - 2, i) === "<>") i -= 2;
  else {
    const like = /(?<![\w$])(?:NOT\s+)?I?LIKE$/i.exec(text.slice(Math.max(0, i - 16), i));
    if (like === null) return undefined;
    i -= like[0].length;
  }
  return columnRead(text, i);
}

/** The column before `end`, over spaces, a cast (`::text`) and a call around it (`lower(email)`). */
function columnRead(text: string, end: number): string | undefined {
  let i = end;
  for (let n = 0; n < 256 && i > 0 && /\s/.test(text[i - 1] ?? ""); n++) i--;
  const cast = /::\w{1,32}(?:\(\d{1,5}\))?$/.exec(text.slice(Math.max(0, i - 40), i));
  if (cast !== null) i -= cast[0].length;
  if (text[i - 1] === ")") {
    const open = text.lastIndexOf("(", i - 1);
    if (open < 0 || i - open > 256) return undefined;
    let inner = i - 1;
    while (inner > open && /\s/.test(text[inner - 1] ?? "")) inner--;
    return columnBefore(text, inner);
  }
  return columnBefore(text, i);
}

/** The column after a placeholder ending at `end` compared with it (`$1 = token`). */
function reversedColumn(text: string, end: number): string | undefined {
  return /^\s{0,16}(?:=|==|!=|<>)\s{0,16}([\w$."`[\]\\]{1,128})/.exec(text.slice(end, end + 192))?.[1];
}

/** A named placeholder (`%(api_key_1)s`, `:token`, `@token`): its name. Not a cast's `::text`. */
const NAMED_PARAMETER = /(?<![\w:%@])(?::([A-Za-z_]\w{0,63})|%\(([A-Za-z_]\w{0,63})\)s|@([A-Za-z_]\w{0,63}))/g;

/** A keyword that starts a statement, or WHERE. */
const STATEMENT_KEYWORD = /(?:(?<![\w$.])|(?<=\\[nrt]))(?:SELECT|DELETE|INSERT|UPDATE|WITH|WHERE)(?![\w$])/iy;
/** What joins a SELECT to the statement before it (`UNION ALL SELECT`, `EXCEPT (SELECT`). */
const SET_OPERATOR = /(?<![\w$])(?:UNION|INTERSECT|EXCEPT|MINUS)(?:(?:\s|\\[nrt])+(?:ALL|DISTINCT))?(?:\s|\\[nrt])*\(?(?:\s|\\[nrt])*$/i;
/** A locking clause's UPDATE (`FOR UPDATE`, `FOR NO KEY UPDATE`): no statement's start. */
const LOCKING_CLAUSE = /(?<![\w$])FOR(?:\s+NO\s+KEY)?\s+$/i;
/** A WITH that starts a statement: a common table expression's name, its columns, AS and its `(`; not `WITH ROLLUP` or `WITH TIES`. */
const CTE_START = /^\s+(?:RECURSIVE\s+)?[^\s(),;]{1,128}\s*(?:\([^()]{0,512}\)\s*)?AS\s+(?:(?:NOT\s+)?MATERIALIZED\s+)?\(/i;

/**
 * Where the line holding an index ends, for indexes that only grow: its line break; on a line that
 * is a JSON string's (it holds an escaped quote or line break), its escaped line break or the
 * string's closing quote too.
 */
function lineReader(text: string): (at: number) => number {
  const realBreak = forwardSearch(text, /[\r\n]/g);
  const jsonBreak = forwardSearch(text, /(?<!\\)(?:\\\\)*(?:\\[nr]|")/g);
  let lineEnd = -1;
  let json = false;
  return (at) => {
    if (at > lineEnd) {
      lineEnd = realBreak(at);
      json = /\\["nr]/.test(text.slice(Math.max(0, text.lastIndexOf("\n", at) + 1), lineEnd));
    }
    return json ? Math.min(lineEnd, jsonBreak(at)) : lineEnd;
  };
}

/** A parameters' label, whose line holds values, not SQL (`params: delete,…`, `[parameters: (…)]`, `binding parameter (1:VARCHAR) <- [update]`). */
const PARAMETERS_START = /(?:(?<![\w$])|(?<=\\[nrt]))(?:\[?(?:params|parameters|bindings|binds|args)(?:\\*["'])?[ \t]*[:=]|with params\b|binding parameter\b)/iy;

/**
 * In statementStarts, the index after what is read whole at `at`: a comment, a parameters' line, a
 * literal closed on its line, a quoted name without spaces closed within 128 characters; past a
 * quote that opens none of them (an apostrophe in a value or in prose, a JSON string holding the
 * next statement) to its line's end; `at` when none starts there. Each is read once.
 */
function skippedInStatement(text: string, at: number, comment: (at: number) => number, lineEnd: (at: number) => number): number {
  const afterComment = comment(at);
  if (afterComment !== at) return afterComment;
  PARAMETERS_START.lastIndex = at;
  if (PARAMETERS_START.test(text)) return Math.max(at + 1, lineEnd(at));
  const quote = quoteAt(text, at);
  if (quote === undefined) return text[at] === "\\" ? backslashesEnd(text, at) : at;
  if (quote !== "'" && quote !== "`") {
    const window = text.slice(at + quote.length, at + quote.length + 130);
    const close = window.indexOf(quote);
    return close >= 0 && !/\s/.test(window.slice(0, close)) ? at + quote.length + close + quote.length : at + quote.length;
  }
  // A literal must close on its line: read within it, the rest of the line is passed otherwise.
  const end = lineEnd(at);
  const line = text.slice(at, end);
  const closed = stringEnd(line, 0, quote);
  return closed < line.length || (closed === line.length && closesAtEnd(line, quote)) ? at + closed : Math.max(at + 1, end);
}

/**
 * Where the statements in a WHERE's text start: at 0, then at each statement's keyword outside
 * comments, strings and parentheses (a subquery's are inside; not a SELECT joined by UNION, a
 * locking clause's `FOR UPDATE`, `WITH ROLLUP`, nor a common table expression's main statement after
 * its `)`), and at a second WHERE on one level (not a statement's first, nor once the text has left
 * a subquery it started in, nor the WHERE of a SELECT joined by UNION).
 */
function statementStarts(text: string): number[] {
  const starts = [0];
  let depth = 0;
  let left = false;
  let joined = false;
  // Whether this statement had its WHERE (the text starts after one).
  let hadWhere = true;
  // Whether this statement started with WITH: its main statement follows a `)`.
  let cte = false;
  const comment = commentSkipper(text);
  const lineEnd = lineReader(text);
  let i = 0;
  while (i < text.length) {
    const skipped = skippedInStatement(text, i, comment, lineEnd);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") {
      if (depth === 0) left = true;
      else depth--;
    } else if (depth === 0 && /[A-Za-z]/.test(c ?? "")) {
      STATEMENT_KEYWORD.lastIndex = i;
      const keyword = STATEMENT_KEYWORD.exec(text);
      if (keyword !== null) {
        const word = keyword[0].toUpperCase();
        const before = text.slice(Math.max(0, i - 256), i);
        if (word === "WHERE") {
          if (hadWhere && !left && !joined) starts.push(i);
          joined = false;
          left = false;
          hadWhere = true;
        } else if (word === "SELECT" && SET_OPERATOR.test(before.slice(-32))) joined = true;
        else if (!(word === "UPDATE" && LOCKING_CLAUSE.test(before.slice(-32))) && !(word === "WITH" && !CTE_START.test(text.slice(i + 4, i + 1024))) && !((left || cte) && /\)(?:\s|\\[nrt])*$/.test(before))) {
          starts.push(i);
          left = false;
          joined = false;
          hadWhere = false;
          cte = word === "WITH";
        }
        i += keyword[0].length;
        continue;
      }
    }
    i++;
  }
  return starts;
}

/**
 * A line that starts another record of a log with a statement: a label at its start (not indented,
 * no comment's dashes, no `(`) ending in `:`, `]` or `query`, then SELECT, DELETE or WITH and a space
 * (`Failed query: select`, `prisma:query SELECT`, `[SQL: WITH`). A statement's own lines carry no
 * label, so a subquery or a CTE's main statement at a line's start is not cut from its parameters.
 */
const NEXT_RECORD = String.raw`(?:\r?\n|\\[nr])(?![ \t(-])[^\r\n(]{0,64}?(?::|\]|\bquery)[ \t]*(?:SELECT|DELETE|WITH)\s`;

/**
 * `WHERE` and the text after it up to 65,536 characters, not past the next INSERT or UPDATE nor the
 * next record of a log (the statements in it are told apart by statementStarts; a match ending at a
 * record's start keeps the next pass's matches where this pass's were). Groups: the text after `WHERE`.
 */
export const SQL_WHERE = new RegExp(String.raw`\bWHERE\s((?:(?!${NEXT_STATEMENT}|${NEXT_RECORD})[^]){0,65536})`, "gi");

/**
 * The text after a `WHERE` (SQL_WHERE's group) with each bound parameter compared with a secret's
 * column taken (`WHERE "sessions"."token" = $1` and Drizzle's `params: …`, SQLAlchemy's
 * `[parameters: (…)]` and its mapping for `%(api_key_1)s`, Hibernate's binder lines), statement by
 * statement. A statement's start is not read, so parameters by order are placed from the list's
 * end. Undefined when none is taken. Literals compared inline are the fields' rules' (`password = '…'`).
 */
export function takeComparedSecrets(after: string, reading: Reading): string | undefined {
  const edits: Edit[] = [];
  const starts = statementStarts(after);
  starts.forEach((start, index) => {
    const statement = after.slice(start, starts[index + 1] ?? after.length);
    const inList: InList = { open: -1, checked: 0, column: undefined };
    const secretAt = (at: number, end: number): boolean => {
      const column = comparedColumn(statement, at, end, inList);
      return column !== undefined && reading.secretColumn(columnName(column));
    };
    const bound: Bound[] = [];
    let ordinal = 0;
    let from = 0;
    let ordinalAtFrom = 0;
    for (const placeholder of placeholders(statement, 0, statement.length)) {
      if (placeholder.number === undefined) ordinal++;
      if (!secretAt(placeholder.at, placeholder.end)) continue;
      bound.push({ flat: placeholder.number === undefined ? ordinal - 1 : placeholder.number - 1, inRow: 0, numbered: placeholder.number !== undefined });
      from = placeholder.end;
      ordinalAtFrom = ordinal;
    }
    // A numbered placeholder's list holds at least as many as its number.
    const atLeast = Math.max(0, ...bound.map(({ flat, numbered }) => (numbered === true ? flat + 1 : 0)));
    const found = [...boundEdits(statement, from, bound, ordinalAtFrom, false, reading, atLeast, false), ...namedEdits(statement, secretAt, reading)];
    for (const [editStart, editEnd, replacement] of found) edits.push([start + editStart, start + editEnd, replacement]);
  });
  return applyEdits(after, edits);
}

/**
 * The edits that take the values a mapping after the statement binds to its named placeholders
 * compared with a secret's column (SQLAlchemy's `… = %(api_key_1)s` then `[parameters:
 * {'api_key_1': '…'}]`), within 8,192 characters after the placeholder.
 */
function namedEdits(statement: string, secretAt: (at: number, end: number) => boolean, reading: Reading): Edit[] {
  const edits: Edit[] = [];
  NAMED_PARAMETER.lastIndex = 0;
  for (const named of statement.matchAll(NAMED_PARAMETER)) {
    const name = named[1] ?? named[2] ?? named[3] ?? "";
    if (!secretAt(named.index, named.index + named[0].length)) continue;
    const after = named.index + named[0].length;
    const entry = new RegExp(String.raw`(\\*["'])${name}\1\s*:\s*`).exec(statement.slice(after, after + 8192));
    if (entry === null) continue;
    const valueStart = after + entry.index + entry[0].length;
    const quote = quoteAt(statement, valueStart);
    if (quote === undefined) continue;
    const valueEnd = stringEnd(statement, valueStart, quote);
    const edit = takeValue({ start: valueStart, end: valueEnd, text: statement.slice(valueStart, valueEnd) }, reading, true);
    if (edit !== undefined) edits.push(edit);
    if (edits.length >= 256) break;
  }
  return edits;
}

/** Whether an UPDATE's WHERE clause picks a setting named as a secret's (`WHERE option_name = 'smtp_password'`), within its first 1,024 characters. */
function secretSettingNamed(after: string, reading: Reading): boolean {
  const where = /\bWHERE\b([^;]{0,1024})/i.exec(after)?.[1] ?? "";
  for (const match of where.matchAll(/\b(?:[a-z]+_)?(?:key|name)\s*=\s*'([^'\r\n]{1,128})'/gi)) if (reading.secretColumn(match[1] ?? "")) return true;
  return false;
}
