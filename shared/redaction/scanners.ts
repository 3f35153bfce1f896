// Value scanners: compiled once at module load, applied in a fixed order so the most specific
// pattern claims a secret first (a JWT before a bearer credential, a database URL before an
// email). Replacements are `[REDACTED:<kind>]`, which no scanner matches, so a later scanner
// never re-matches an earlier replacement.
import { isIPv4, isIPv6 } from "node:net";
import { canonicalJsonStrings } from "./json-strings.js";
import { SQL_INSERT, SQL_UPDATE, SQL_WHERE, takeComparedSecrets, takeInsertedSecrets, takeUpdatedSecrets } from "./sql-values.js";
import type { ScannerKind } from "./policy.js";

/** `after`: the text right after the match (up to AFTER_LENGTH characters). */
type Replace = (match: string, groups: readonly (string | undefined)[], after: string, before: () => string) => string | undefined;

interface Scanner {
  readonly kind: ScannerKind;
  readonly pattern: RegExp;
  /** Cheap test on the whole text; false skips the regex entirely. */
  readonly worthTrying: (text: string) => boolean;
  /** Returns the replacement, or undefined to leave the match alone (a failed check such as Luhn). */
  readonly replace: Replace;
}

export function marker(kind: ScannerKind): string {
  return `[REDACTED:${kind}]`;
}

const hasDigit = (text: string): boolean => /\d/.test(text);

/** A word in a case-sensitive pattern that matches it in any case (`[Aa][Ss]…`), as PowerShell reads its names. */
const anyCase = (word: string): string => word.replace(/[A-Za-z]/g, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
/** PowerShell's cmdlet that makes a SecureString of plain text, in any case. */
const SECURE_STRING = anyCase("ConvertTo-SecureString");

/**
 * A PowerShell call assigned to a secret's name (`$password = ConvertTo-SecureString "…" …`,
 * `$pw = (Read-Host …)`, `$c.Credentials = New-Object …`): no value of the field; the rules for the call see the password.
 */
const POWERSHELL_CALL = String.raw`\(?(?:ConvertTo-SecureString|ConvertFrom-SecureString|Read-Host|Get-Credential|Get-Secret|New-Object)\b`;

/** How many times `needle` occurs in `text`, without overlaps. */
function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** A marker, as `marker` writes it, in a pattern. */
const MARKER = String.raw`\[REDACTED:[a-z_]+\]`;
/** Every marker in a text. */
const MARKERS = new RegExp(MARKER, "g");

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** 13–19 digits that pass Luhn and are not one digit repeated (0000…, padding or a nil UUID's groups). */
function isLuhnCard(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && luhn(digits) && !/^(\d)\1+$/.test(digits);
}

/**
 * Whether a number's digits could be a payment card number: 13–19 digits, Luhn-valid, under an
 * issuer prefix cards use (Visa 4; Mastercard 51–55 and 2221–2720; Maestro 50, 56–58, 63, 67;
 * Mir 2200–2204; BORICA 2205; Amex 34, 37; Diners 30, 36, 38; JCB 35; China T-Union 31;
 * Discover, UnionPay and RuPay 60, 62, 64, 65, 81, 82; UzCard 8600; Humo 9860; Troy 9792; UATP 1
 * at 15 digits). Numbers are ids, counts and times far more often than cards: a Luhn check alone
 * would flag one millisecond timestamp in ten, and those start with 1 at 13 digits (microseconds
 * at 16). The same check for numbers and for text, so scanning text twice finds nothing more.
 */
export function isCardNumberDigits(digits: string): boolean {
  if (!/^\d+$/.test(digits) || !isLuhnCard(digits)) return false;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits.startsWith("1")) return digits.length === 15;
  if (digits.length === 13) return digits.startsWith("4");
  return (
    digits.startsWith("4") ||
    (two >= 50 && two <= 58) ||
    (four >= 2200 && four <= 2205) ||
    (four >= 2221 && four <= 2720) ||
    four === 8600 ||
    four === 9792 ||
    four === 9860 ||
    [30, 31, 34, 35, 36, 37, 38, 60, 62, 63, 64, 65, 67, 81, 82].includes(two)
  );
}

/** Schemes whose URLs are database/broker connection strings rather than web addresses. */
const DATABASE_SCHEMES = new Set(["postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps", "mssql", "sqlserver", "jdbc:postgresql", "jdbc:mysql", "oracle", "cockroachdb", "clickhouse"]);

/**
 * `Basic <base64>` is only a credential when it decodes to printable `user:password`: valid UTF-8
 * (no U+FFFD from undecodable bytes), no control characters, any script (`alice:Grüße`).
 */
function isBasicCredential(encoded: string): boolean {
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  return decoded.length >= 1 && decoded.length <= 256 && !BASIC_UNPRINTABLE.test(decoded) && decoded.includes(":");
}
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const BASIC_UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\ufffd]/;

/**
 * Truncates an IP address to its network: IPv4 /24, IPv6 /48. IPv6 forms that carry an IPv4
 * address (IPv4-mapped `::ffff:0:0/96` in either notation, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`)
 * are truncated as that IPv4 address: a 6to4 /48 would otherwise hold the whole IPv4 address, and
 * the /96 forms would all fall into one network.
 */
export function truncateIp(address: string): string | undefined {
  if (typeof address !== "string" || address.length > 64) return undefined;
  let text = address.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const zone = text.indexOf("%");
  if (zone !== -1) text = text.slice(0, zone);
  if (isIPv4(text)) {
    const parts = text.split(".");
    return `${parts[0]}.${parts[1]}.${parts[2]}.0/24`;
  }
  if (!isIPv6(text)) return undefined;
  const g = ipv6Groups(text);
  if (g === undefined) return undefined;
  const zerosUpTo = (end: number) => g.slice(0, end).every((group) => group === 0);
  // The first three octets of the IPv4 address in groups `hi` and `hi + 1`.
  const v4 = (hi: number) => `${(g[hi] ?? 0) >> 8}.${(g[hi] ?? 0) & 0xff}.${(g[hi + 1] ?? 0) >> 8}.0/24`;
  if (zerosUpTo(5) && g[5] === 0xffff) return v4(6);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) return v4(6);
  if (g[0] === 0x2002) return v4(1);
  return `${(g[0] ?? 0).toString(16)}:${(g[1] ?? 0).toString(16)}:${(g[2] ?? 0).toString(16)}::/48`;
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded dotted IPv4 tail is two groups). */
function ipv6Groups(text: string): number[] | undefined {
  let head = text;
  let tail = "";
  const gap = text.indexOf("::");
  if (gap !== -1) {
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
  }
  const toGroups = (part: string): number[] =>
    part === ""
      ? []
      : part.split(":").flatMap((group) => {
          if (!group.includes(".")) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const headGroups = toGroups(head);
  const tailGroups = toGroups(tail);
  const fill = gap === -1 ? 0 : 8 - headGroups.length - tailGroups.length;
  const all = [...headGroups, ...Array.from({ length: Math.max(fill, 0) }, () => 0), ...tailGroups];
  return all.length === 8 && all.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? all : undefined;
}

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

/**
 * Networks already at or wider than the allowed prefix (/24, /48) are left as they are; a
 * narrower CIDR still names a small network, so it is truncated like a host address.
 */
function ipReplacement(address: string, prefix: string | undefined, widest: number): string | undefined {
  if (prefix !== undefined && Number(prefix) <= widest) return undefined;
  return truncateIp(address);
}

/**
 * A name that says its value is secret: token, secret, AWS Secrets Manager's `SecretString`,
 * password, passphrase, `pass` after what has one (PASS_OWNERS: `DB_PASS`, `ansible_become_pass`,
 * `rootPass`, `db.pass`, `-keypass`) or after a comma (`-o user=bob,pass=…`; not `--pass`, x264's pass number), credential, or a
 * secret kind of key (`api_key`, `SECRET_KEY`, `AWS_SECRET_ACCESS_KEY`, `accessKey`, a property's `stripe.api.key`;
 * not `primary_key` or `cache-key`).
 */
/**
 * What has a password written `…pass` (`DB_PASS`, `SMTP_PASS`, `ansible_become_pass`, `rootPass`,
 * `keypass`): a service, a protocol, an account or a store. Not a processing pass, a test's or a
 * build's (`first_pass`, `render_pass`, `compile_pass`, `-debug-pass`, `test_pass`), nor `bypass`,
 * `user_pass` (code's pair of user and password, as often as not) or nginx's `proxy_pass`.
 */
const PASS_OWNERS = String.raw`(?:db|database|mysql|mariadb|pg|postgres|postgresql|psql|redis|mongo|mongodb|smtp|mail|imap|pop3|ftp|sftp|ssh|sudo|become|root|admin|login|ldap|bind|sasl|rabbitmq|amqp|mq|vnc|rdp|wifi|wpa|api|app|auth|basic|http|git|svn|registry|docker|vault|keystore|truststore|store|key|cert|ssl|tls|smb|cifs|nas|jdbc|oracle|mssql|sql|elastic|kibana|grafana|influx|router|service|account|client|server|master|secret|private|system|my|new|old|web|require)`;
const SECRET_WORDS = String.raw`(?:(?:api|access|secret|signing|private|client|master|account|encryption|auth|app|session|shared|storage|service|subscription|license|admin|hmac|jwt|webhook|sas)[_.-]?key|token|secret|secret[_-]?string|secret_key_base|password|passwd|passphrase|(?<=${PASS_OWNERS}[_.-]?|,)pass|pwd|credentials?|requirepass|masterauth)`;
const SECRET_NAME = String.raw`[A-Za-z0-9_-]{0,32}${SECRET_WORDS}`;
/**
 * A name that says secret (SECRET_WORDS at its end), dotted, dashed or namespaced too, as XML's
 * elements, properties and code's lookups write one (`db.password`,
 * `javax.net.ssl.keyStorePassword`, `ns:ClientSecret`, `Jwt:Secret`).
 */
const DOTTED_SECRET_NAME = String.raw`[\w.:-]{0,96}${SECRET_WORDS}`;
/** Whether a text mentions a secret's name at all: the cheap test before the rules that read one. */
const mentionsSecret = (text: string): boolean => /key|token|secret|pass|pwd|credential|masterauth/i.test(text);
/**
 * Quotes in JSON inside JSON. A quote after a run of n backslashes is escaped as many times as n
 * has trailing 1 bits: `\"` (1) ends a string one level down, `\\\"` (3) two levels down, `\\\\\"`
 * (5: an escaped backslash, then `\"`) one level down again. A value opened by a quote of some
 * depth ends at the next quote of that depth; a deeper quote is part of it (a `"` inside a string
 * one level down); a shallower one ends the string the value is in, so there is no value. Depths
 * 1 to 3. The parts inside take whole runs of backslashes, so a match never splits one.
 */
const ESCAPE_DEPTHS = [1, 2, 3];
/** How many levels down a quote after its run of backslashes is escaped: the run's trailing 1 bits. */
function quoteDepth(quoteWithRun: string): number {
  let run = quoteWithRun.length - 1;
  let depth = 0;
  while (run % 2 === 1) {
    depth++;
    run = (run - 1) / 2;
  }
  return depth;
}
/** A quote of exactly `depth` levels, the run of backslashes before it whole. */
const quoteOfDepth = (depth: number): string => String.raw`(?:\\{${2 ** (depth + 1)}})*\\{${2 ** depth - 1}}"`;
/** A quote of more than `depth` levels: a quote character inside a value of `depth`. */
const deeperQuote = (depth: number): string => String.raw`(?:\\{${2 ** (depth + 1)}})*\\{${2 ** (depth + 1) - 1}}"`;
/** Where the string a value of some depth is in ends: a quote not deeper than the value's (`deeper`), or the line end. */
const stringEndBelow = (deeper: string): string => String.raw`(?:(?!${deeper})\\*"|[\r\n]|$)`;
/** Alternatives, one per depth: `valueIn(open, close, deeper)`, the opening quote exactly of its depth. */
function escapedQuoted(valueIn: (open: string, close: string, deeper: string) => string): string {
  return ESCAPE_DEPTHS.map((depth) => valueIn(String.raw`(?<!\\)\\{${2 ** depth - 1}}"`, quoteOfDepth(depth), deeperQuote(depth))).join("|");
}
/**
 * Letters and digits of the scripts people write passwords in (Latin with Vietnamese, Greek,
 * Cyrillic, Armenian, Georgian, Hebrew, Arabic, Indic, Thai, kana, CJK ideographs, Hangul,
 * full-width), and currency signs; not punctuation (`，。…—“”`) or emoji.
 */
const LETTERS = String.raw`A-Za-z0-9\u00C0-\u024F\u0370-\u058F\u0590-\u06FF\u0900-\u0DFF\u0E00-\u0EFF\u10A0-\u10FF\u1E00-\u1FFF\u20A0-\u20CF\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A`;
/**
 * A character of a value in apostrophes: not a `"` that ends a JSON string (one before `,:}]`). An
 * apostrophe before a letter or digit is part of the value when an apostrophe not before a letter
 * or digit follows, with no `=` on the way (`'ybQy'pbQt'`, `'it's a secret'`, `'we're_dog's'`; not
 * `password='abc'AND user='bob'`), and no secret field's name and separator follow it (`'x'token=…`).
 * A doubled apostrophe (YAML's and SQL's escape) before a character that does not end the value
 * is part of it (`'''pw'`, `'it''s a …'`), and so is the shell's `'\''` (`'O'\''Brien'`: close,
 * an escaped apostrophe, open again), as `export` and `docker -e` lines quote an apostrophe.
 */
const IN_APOSTROPHES = String.raw`(?:[^'"\r\n]|"(?![,:}\]])|'\\''|''(?=[^'\s,;)\]}])|'(?=[${LETTERS}](?:[^'=\r\n]|'(?=[${LETTERS}])){0,512}'(?![${LETTERS}]))(?!${SECRET_NAME}\\*["']?\s*[:=]))`;
/**
 * A key without quotes, as Node's `inspect` and YAML flow maps print one: after a space or `{`,
 * before `:` and a space (so not a password such as `,Xk9q:` in quotes).
 */
const BARE_KEY = String.raw`(?<=[\s{])(?!(?:null|true|false)\b)[A-Za-z_$][\w$-]*(?=:[ \t])`;
/**
 * What lies between two strings of JSON, or of the object literals Node's `inspect`, YAML flow
 * maps and JavaScript print, from `,:}]` on (spaces before it too): punctuation, numbers, `null`,
 * `true`, `false` and keys, quoted or bare (`"],"`, `", 12, "`, `" }, { "`, `", "user": "`,
 * `', user: '`), up to `end`: the next string's quote, or the end of the string it is all in.
 * `key` is the quote keys are written with at this depth. Each step starts with a character no
 * other step starts with (one character of punctuation a step), so the steps never overlap and a
 * failed look ends in linear time.
 */
const betweenStrings = (key: string, end: string): string =>
  String.raw`(?=\s*[,:}\]])(?:[,:{}[\]\s]|(?:-?\d[\d.eE+-]*|null|true|false)(?=[,:{}[\]\s])|${key}[^"\\\r\n]*${key}(?=\s*:)|${BARE_KEY})*${end}`;
/** After an opening quote: not what lies between two strings (betweenStrings), so not a value. */
const notJsonBetweenStrings = (key: string, end: string): string => `(?!${betweenStrings(key, end)})`;
const notJsonPunctuation = (quote: string): string => notJsonBetweenStrings(quote === "'" ? '"' : quote, quote);
/** Spaces, then a command-line option's or an assignment's name and `=` (` --password=`, ` TOKEN=`). */
const NEXT_OPTION = String.raw`[ \t]+(?:--?[A-Za-z][\w-]*|[A-Za-z_][\w.-]*)=`;
/**
 * A quote that closes the string a field's name ends, before the next field: its name and `:`
 * (`{ msg: 'missing Password=', token: '…' }`: Node's `inspect`, YAML flow maps, Python's `repr`),
 * or an assignment or command-line option (`N='Password=' CLIENT_SECRET='…'`, `--note="Pwd="
 * --password="…"`, `--msg "Pwd=" --password "…"`), or the next long or secret option in a printed
 * list of arguments (`'Pwd=', '--token', '…'`; not `'-pS3cret'`). What follows it is not a value, and taking it would take
 * that name with it.
 */
const CLOSING_QUOTE = String.raw`'\s*[,}\]][\s,{}[\]]*(?:${BARE_KEY}|"[^"\r\n]*"\s*:|'[^'\r\n]*'\s*:)|["'](?:${NEXT_OPTION}|[ \t]+--?${SECRET_NAME}[ \t])|'\s*,\s*'(?:--[A-Za-z][\w-]*|-${SECRET_NAME})'|"\s*,\s*"(?:--[A-Za-z][\w-]*|-${SECRET_NAME})"`;
/** A query parameter's name and `=` (`next=`, `filter[status]=`), as after a query string's `&`. */
const QUERY_PARAMETER = String.raw`(?:\w|%[0-9A-Fa-f]{2})(?:[\w.-]|%[0-9A-Fa-f]{2})*(?:\[[\w.%-]*\])*=`;
/**
 * What follows a closing quote read with escapes: a space, punctuation (`.encode(`), a quote, a
 * backslash or the end; not more of a word. Where none does, the value ends at its first quote
 * if it is long enough (`"C:\\dir\\"x`), else it is read with every escape, as JSON reads it.
 */
const QUOTE_END = String.raw`[\s;,.)\]}:"'\\]|$`;
/** A character of a double-quoted value read with backslash escapes, as JSON reads them. */
const JSON_CHARACTER = String.raw`(?:[^"\\\r\n]|\\[^\r\n])`;
/**
 * The same, but not an escaped quote before the next option or assignment, which is a closing
 * quote after a trailing backslash (`--password="C:\\keys\\" --user="…"`).
 */
const ESCAPED_CHARACTER = String.raw`(?:[^"\\\r\n]|\\(?!"${NEXT_OPTION})[^\r\n])`;
/**
 * A value in double quotes, `count` characters (a quantifier), read three ways in turn: with
 * escapes, closing before QUOTE_END; to its first quote; with every escape (see QUOTE_END).
 */
const doubleQuoted = (count: string): string => {
  const open = `"${notJsonPunctuation('"')}`;
  return String.raw`${open}${ESCAPED_CHARACTER}${count}"(?=${QUOTE_END})|${open}[^"\r\n]${count}"|${open}${JSON_CHARACTER}${count}"`;
};
/**
 * A value in apostrophes whose first apostrophe is escaped with a backslash, read with backslash
 * escapes, `count` characters, closing before QUOTE_END: as JavaScript, Python's `repr` and Node's
 * `inspect` write a string holding both quotes (`'it\'s "x"'`). Not an escaped apostrophe before
 * a space or punctuation: where backslashes are not escapes (shell, SQL, YAML), that is a value
 * ending in a backslash, closed (`'C:\keys\', user: 'bob'`), read by the rules after this one.
 * Nor a quote, escaped or not, that ends a JSON string (one before `,:}]`).
 */
const apostrophesWithEscapes = (count: string): string =>
  String.raw`'${notJsonPunctuation("'")}(?=[^'\r\n]*\\')(?:[^'"\\\r\n]|"(?![,:}\]])|\\[^'"\r\n]|\\"(?![,:}\]])|\\'(?![\s,;:)\]}]|$)|\\'(?='))${count}'(?=${QUOTE_END})`;
/**
 * Characters a bare secret value is made of; a run of backslashes counts only with the character
 * after it, and an escaped quote only inside a word, before a word character (`\"_Pwd=\"_…`): one
 * that ends a string in valid JSON inside JSON never is. An apostrophe between two of its
 * characters counts (`Fido's!`), unless it opens a contraction's ending before a space or
 * punctuation (`doesn't.`: prose). An `&` counts, first character too, unless a query parameter or
 * an HTML entity follows (`&next=`, `&lt;`); `&amp;` not before a parameter counts whole.
 */
const BARE = String.raw`(?:[^\s"'&;,[\]{}\\]|\\+[^\s"'&;,[\]{}\\]|(?<=[^\s"'&;,[\]{}\\])\\+"(?=\w)|(?<=[^\s"'&;,[\]{}\\])'(?!(?:t|s|d|m|re|ve|ll)(?:[\s.,;:)\]}"?\u2026]|\\[nrt]|$))(?=[^\s"'&;,[\]{}\\])|(?<!&)&(?!${QUERY_PARAMETER}|(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9A-Fa-f]+);)(?=[^\s"'&;,[\]{}\\])|&(?:amp|#0*38|#x0*26);(?!${QUERY_PARAMETER})(?=[^\s"'&;,[\]{}\\]))`;
/**
 * A character of a value in backticks, read with backslash escapes: not a quote, escaped or not,
 * that ends a JSON string (one before `,:}]`).
 */
const BACKTICKED = String.raw`(?:[^\`"\\\r\n]|"(?![,:}\]])|\\[^"\r\n]|\\"(?![,:}\]]))`;
/** A character of an option's value in apostrophes: not a `"` that ends a JSON string; the shell's `'\''` included. */
const OPTION_IN_APOSTROPHES = String.raw`(?:[^'"\r\n]|"(?![,:}\]])|'\\'')`;
/**
 * A value in backticks, with backslash escapes, closing before QUOTE_END: a JavaScript template
 * literal on one line, or a string Node's `inspect` prints in backticks (one holding both `'` and
 * `"`). A value that only starts with a backtick is read by the rules after this one. Not a shell
 * command substitution (`TOKEN=\`cat …\``: right after a name and `=`), nor a template literal of
 * expressions alone (`\`${prefix}_${id}\``).
 */
const IN_BACKTICKS = String.raw`(?<!\w=)\`(?!${MARKER}\`)(?!(?:\$\{[^}\r\n]*\}|[^A-Za-z0-9\`\r\n])*\`)${BACKTICKED}{6,512}\`(?=${QUOTE_END})`;
/**
 * A string literal's prefix in code, before its quote: C#'s verbatim and interpolated strings and
 * Objective-C's (`@"…"`, `$"…"`, `$@"…"`), Python's (`r"…"`, `b'…'`, `u"…"`, `f"…"`, `rb"…"`), C++'s
 * (`L"…"`, `u8"…"`). A secret field's value starts after it, so the literal is read as one.
 */
const LITERAL_PREFIX_WORD = String.raw`(?:@\$?|\$@?|[rR][bBfF]?|[bBfF][rR]?|[uU]8?|L)`;
const LITERAL_PREFIX = String.raw`${LITERAL_PREFIX_WORD}(?=\\*["'])`;
const LITERAL_PREFIX_END = new RegExp(`${LITERAL_PREFIX_WORD}$`);
/** The literal's prefix that a match's part before the value ends in, or "". */
const literalPrefixOf = (before: string): string => LITERAL_PREFIX_END.exec(before)?.[0] ?? "";
/** A quoted literal of interpolations and punctuation alone (`"{user}:{password}"`), one at least; each part read one way, so a long one costs one pass. */
const INTERPOLATIONS = /^(\\*["'])(?=[^\r\n]*\{)(?:[^\w{}"'\\\r\n]|\{[^{}"'\r\n]{1,128}\})*\1$/;
/**
 * Whether a literal after `prefix` is an interpolated string of expressions alone: Python's
 * f-string in either quote (`f"{user}:{password}"`), C#'s `$"{a}{b}"` in double quotes only (a
 * shell's `$'…'` is no interpolation). Code, no secret.
 */
const interpolationOnly = (prefix: string, value: string): boolean => (/[fF]/.test(prefix) || (prefix.includes("$") && /^\\*"/.test(value))) && INTERPOLATIONS.test(value);
/** A secret field's name, quoted or not (or its quote never closed), its `:` or `=`, and spaces on its line. */
const SECRET_NAME_AND_SEPARATOR = String.raw`(?:\\*["'])?${SECRET_NAME}(?:\\*["'])?\s*[:=][ \t]*`;
/**
 * Where a value in escaped quotes that is never closed ends: at the end of the string it is in (a
 * quote of any depth, or the line end), and not on a secret field's name and separator, which
 * opens the next field (`secret:\" token:"…`).
 */
const UNCLOSED_END = String.raw`(?=\\*"|[\r\n]|$)(?<!${SECRET_NAME}\\*["']?\s*[:=]\s*)`;
/**
 * A value of a secret field, 6+ characters: quoted, in escaped quotes (see escapedQuoted; never
 * closed, to the end of the string it is in), or bare to the next space or separator, or to an
 * escaped quote (the end of a JSON string inside JSON). In double quotes, a backslash escapes the
 * character after it, as in JSON (`"'abc\""`), unless the value then never closes (`"C:\keys\"`);
 * one in double quotes never closed (a line cut off) runs to the line end; a raw string in three
 * double quotes on one line, holding no quote (C#'s and Python's `"""…"""`).
 */
const SECRET_VALUE = String.raw`"""[^"\r\n]{6,512}"""|${escapedQuoted(
  (open, close, deeper) => String.raw`${open}${notJsonBetweenStrings(close, stringEndBelow(deeper))}(?:[^"\\\r\n]|\\+[^"\\\r\n]|${deeper}){6,512}(?:${close}|${UNCLOSED_END})`,
)}|${doubleQuoted("{6,512}")}|${apostrophesWithEscapes("{6,512}")}|'${notJsonPunctuation("'")}${IN_APOSTROPHES}{6,512}'|${IN_BACKTICKS}|"(?![\s,:}\]]|${MARKER})${JSON_CHARACTER}{6,512}(?=[\r\n]|$)|(?:\\*["'])?(?=(?:${BARE}|\\){6})${BARE}+`;
/**
 * After a secret word's `:`, the rest of a path's `::` that calls or builds something
 * (`Token::default()`, `Credentials::new(`, `Vec::<u8>`, `format!`): no separator there. A value after
 * `::` stays one (GitHub Actions' `::set-output name=password::…`, a log's `TOKEN::…`).
 */
const PATH_SEGMENT_CALL = String.raw`:[A-Za-z_]\w*(?:[({<!]|::[A-Za-z_]\w*[({<])`;
/**
 * A declared string type between a secret's name and its value (`const apiKey: string = "…"`,
 * `let password: &'static str = …`, `api_key: Optional[SecretStr] = …`, `token: string | undefined
 * =`): the string types of TypeScript, Rust, Python and Pydantic by name, so that a word in a
 * config's or a log's `password: word = …` stays a value (review 107); `&`, a lifetime, `Option`,
 * `Optional`, `Secret<…>`, a union with `undefined`, `null` or `None`, `?`. A space before its `=`,
 * as code is written (`token: sv=2021&sig=…` is a value). Each part is a fixed word: no ambiguity
 * to backtrack over.
 */
const STRING_TYPE = String.raw`(?:string|str|String|bytes|SecretStr|SecretString|SecretBytes|Buffer)`;
const DECLARED_TYPE = String.raw`&?(?:'[a-z_]{1,16}[ \t]+)?(?:mut[ \t]+)?(?:${STRING_TYPE}|Optional\[${STRING_TYPE}\]|Annotated\[(?:Optional\[${STRING_TYPE}\]|${STRING_TYPE}(?:[ \t]*\|[ \t]*(?:None|null))?)(?:,(?:[^[\]\r\n]|\[[^[\]\r\n]{0,60}\]){0,120})?\]|Option<&?(?:'[a-z_]{1,16}[ \t]+)?${STRING_TYPE}>|Secret<${STRING_TYPE}>)\??(?:[ \t]*\|[ \t]*(?:undefined|null|None|${STRING_TYPE})){0,3}(?![\w<\[])`;
/** A keyword or a number as code writes it: no secret (`None`, `undefined`, `0`). */
const CODE_WORD = String.raw`(?:None|null|undefined|nil|true|false|default|\d{1,16})(?![\w$])`;
/**
 * A declared type, its `=` and a value no secret field's rule takes (a keyword, a number, a call, a
 * value already taken, quoted or bare): what SECRET_FIELD reads as a value after the name's `:` is
 * the type then.
 */
const TYPED_DECLARATION = new RegExp(String.raw`^${DECLARED_TYPE}[ \t]+=[ \t]*(?:${CODE_WORD}|[A-Za-z_$][\w$.]*\(|(?:(?:[@$]|[rRbBuUfFL]{1,2})?\\*["'\`])?\[REDACTED:)`);
/** A secret field's separator with a declared type (`: string =`). */
const TYPED_SEPARATOR = String.raw`[?!]?:[ \t]*${DECLARED_TYPE}[ \t]+=(?![=>])`;
/**
 * C#'s auto-property accessors and the `=` of its initializer (`Password { get; set; } = …`,
 * `{ set; get; }`, `{ get; private set; }`, an attribute on an accessor, over lines as Allman braces
 * write it, JSON's escaped line breaks too): the declaration's type stands before the name, so it
 * is a typed separator.
 */
const ACCESSORS = String.raw`(?:\\[nrt][ \t]*){0,8}\{(?:(?:\s|\\[nrt])*(?:\[[\w.]{1,40}(?:\([^()\r\n]{0,40}\))?\](?:\s|\\[nrt])*)?(?:(?:private|protected|internal)(?:\s|\\[nrt])+){0,2}(?:get|set|init)(?:\s|\\[nrt])*;){1,3}(?:\s|\\[nrt])*\}(?:\s|\\[nrt])*=(?![=>])`;
/**
 * Whether a secret field's bare value after `:`, with the text after it (`ahead`), is a parameter's type, not
 * a value: a capitalised generic with a type inside, closed before `,`, `)`, `=` or the line's end
 * (Python's `password: Annotated[str, Form()]`, `List[str]`; not `Monkey[banana]42`), or a string
 * type that a parameter list goes on after (`password: SecretStr)`, `token: str, user: str`).
 */
const parameterType = (before: string, ahead: string): boolean => /:[ \t]*$/.test(before) && PARAMETER_TYPE.test(ahead);
const PARAMETER_TYPE = new RegExp(String.raw`^(?:[A-Z][A-Za-z]{1,40}\[[A-Za-z_][\w.]*(?:\[[^[\]\r\n]{0,40}\])?(?:,(?:[^[\]\r\n]|\[[^[\]\r\n]{0,40}\]){0,80})?\][ \t]*(?:[,)=|\r\n]|$)|${STRING_TYPE}[ \t]*[,)])`);
/** A typed separator (TYPED_SEPARATOR, ACCESSORS) at the end of what SECRET_FIELD read before the value. */
const TYPED_SEPARATOR_END = new RegExp(String.raw`(?:${TYPED_SEPARATOR}|${ACCESSORS})\s*(?:${LITERAL_PREFIX})?$`);
/**
 * `name: value` / `"name": "value"` for a secret name. Where the value starts with more secret
 * fields (`Password: "password": "…"`), up to sixteen, it is taken from there on: the inner name
 * is not the secret, the value after it is. A quoted value that ends in another secret field's `=`
 * or `:` takes the word after its closing quote too (`token:" export TOKEN="…`).
 */
const SECRET_FIELD = new RegExp(
  String.raw`(?<![A-Za-z0-9])(?!(?<=\/)[A-Za-z0-9_-]*\.key(?![\w-])\s*:)(${SECRET_NAME}\\*["']?\s*(?::=|${TYPED_SEPARATOR}|${ACCESSORS}|:(?!${PATH_SEGMENT_CALL})|=)\s*(?:${LITERAL_PREFIX})?)(?!${POWERSHELL_CALL}|\\*"${MARKER}\\*"|'${MARKER}'|\`${MARKER}\`|${CLOSING_QUOTE}|(?:protected|private)\]|\\*"[\w\\]{1,64}\\*":private\])((?:${SECRET_NAME_AND_SEPARATOR}){0,16}(?:${SECRET_VALUE})(?:(?<=${SECRET_NAME}\s*[:=]\s*\\*["'])(?!${SECRET_NAME}\s*[:=])${BARE}+)?)`,
  "gi",
);
/**
 * Secret fields and a value at the start of a text, the value ending a word, and a secret field's
 * name alone (see connectionStringField).
 */
const SECRET_FIELD_FIRST = new RegExp(String.raw`^(?:${SECRET_NAME_AND_SEPARATOR}){1,16}(?!${SECRET_NAME}\\*["']?\s*[:=](?:\s|$))(?:${SECRET_VALUE})(?=[\s,;.)\]}]|$)`, "i");
const SECRET_NAME_ONLY = new RegExp(String.raw`^(?:${SECRET_NAME_AND_SEPARATOR}){1,16}$`, "i");

/**
 * Words that follow a secret option's name in prose and help text rather than a value
 * (`--password is required`, `use --token to …`, `--password will be removed`, `pass --password
 * directly`, Cobra's `--token string`): a secret equal to one of them is no secret. Not one run
 * into more of a word (`The!Best2024`).
 */
const OPTION_PROSE = String.raw`(?:is|are|was|were|be|will|would|must|should|can|cannot|may|needs?|requires?|required|missing|not|and|or|but|to|for|from|followed|flags?|options?|arguments?|parameters?|values?|with|without|the|a|an|of|in|on|at|as|via|like|when|if|only|also|instead|then|which|that|first|again|directly|explicitly|manually|here|there|below|above|docs|documentation|etc|multiple|defaults?|expects?|takes?|accepts?|pertains?|overrides?|has|have|had|does|do|did|set|sets|deprecated|specified|provided|ignored|now|no|this|you|your|it|its|arg|args|string|strings|int|int32|int64|uint|float|bool|duration|file|path|name|names|id|user|user-id|key-?id)(?:'s|n't)?(?=[\s\`]|[.,;:!?)](?:[\s\`]|$)|$)`;
/**
 * A value that is code: a call, or a member's path, a keyword or a number that is the whole value
 * (`Field(`, `Constants.EMPTY`, `None`, C#'s `default!`; not `2024-Summer-…` or `null!…`, which only
 * start as code).
 */
const CODE_VALUE = new RegExp(String.raw`^(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\(|(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?![\w$])|${CODE_WORD}|(?:default|null)!)[;,:)\]}]*$)`);
/** A secret field's name, quoted or escaped, and its `:` or `=`: a field, not a value (`--token "password": …`). */
const SECRET_FIELD_AHEAD = String.raw`\\*["']?${SECRET_NAME}\\*["']?\s*[:=]`;
/** A secret field's name and its separator anywhere in a value (the value then holds more fields). */
const SECRET_FIELD_AHEAD_ANYWHERE = new RegExp(String.raw`(?<![A-Za-z0-9])${SECRET_FIELD_AHEAD}`, "i");
/**
 * A keyword or a file's name where an option's value goes (`--password stdin`, `--token none`, a switch's `--require-pass yes`,
 * `env:DB_PASSWORD`, `--token @token.txt`, `--private-key key.pem`, `--credentials /creds.json`),
 * quoted or not, and the whole value: `"None Shall Pass!"` and `true,Qz9!` are values.
 */
const SECRET_WORD_ALONE = String.raw`(?:stdin|prompt|none|true|false|yes|no|auto|null|env:\w+|fileb?:\/\/[\w./\\:~-]+|@(?:[~.]?\/|[\w-]+\.)[\w./-]*|[\w./\\:~-]*\.(?:pem|key|json|txt|crt|cer|p12|pfx|jks|ya?ml|env|pub|der|conf|ini|properties))`;
const NOT_A_SECRET_WORD = String.raw`(?:\\*["']${SECRET_WORD_ALONE}\\*["'](?=[\s,)\]]|$)|${SECRET_WORD_ALONE}(?=\s|$))`;
/** The start of a file's path: `~/`, `./`, `../`, or a directory under the root (`/run/…`), not `/` alone (`/31?…`). */
const PATH_START = String.raw`(?:~|\.{1,2})/|/[\w.-]+/`;
/**
 * What follows a secret option's name but is no value of it: another option; Perl's `=>`
 * (`-password => '…'`, a hash's key); a word of prose; a marker; a secret field (`--token "password": …`); shell syntax, a command substitution or a
 * template's expression (`< token.txt`, `$(cat …)`, `` `cat …` ``, `${{ secrets.X }}`,
 * `{{ .Values.token }}`); a file's path (`/run/secrets/token`, `./key`, `~/.pw`) or a parenthetical
 * (`--access-token (or -t)`); docker's secret spec (`--secret id=…,env=…`); NOT_A_SECRET_WORD; a
 * quote that closes a string in code (`"deploy --token " + token`).
 */
const NOT_AN_OPTION_VALUE = String.raw`-|=>|${OPTION_PROSE}|\\*["'\`]?${MARKER}|${SECRET_FIELD_AHEAD}|[<>|&;\`]|\/(?=\s|$)|\([a-z][a-z.]*[ ,)]|\\*["']?(?:\$[({]|${PATH_START})|\{\{|(?:''|"")(?=\s|$)|(?:id|src|source|type|env|target)=|${NOT_A_SECRET_WORD}|\\*["'](?:\s+[+.]\s|\)(?=[\s;,.]|$))`;
/** Spaces between a secret option and its value: one (help texts align theirs with more), or a line continuation. */
const OPTION_SPACE = String.raw`[ \t]|[ \t]?\\\r?\n[ \t]*`;
/**
 * An option's value without quotes: to the next space, quote or backtick; a run of backslashes
 * only with the character after it, or an escaped quote inside a word (`ab\"cd`, a password's
 * quote in JSON), as a bare secret value reads them. BARE_CHARACTER is one step of it.
 */
const BARE_CHARACTER = String.raw`(?:[^\s"'\\\`]|\\+[^\s"'\\\`]|(?<=[^\s"'\\\`])\\+"(?=\w))`;
const OPTION_BARE = String.raw`${BARE_CHARACTER}{1,512}`;
/**
 * Inside a JSON string (an opening quote after `:`, `[`, `,` or `{`, then characters or escapes, up
 * to 512, on the same line, before the value; further into a long string a value is not ended at a
 * line break, and takes the next line's first word as before): where `\n` is a line break rather
 * than a backslash of raw text. Looked for once, where the value starts, and only for a value
 * with such an escape in it.
 */
const IN_JSON_STRING = String.raw`[:[,{][ \t]*"(?:[^\r\n"\\]|\\[^\r\n]){0,512}`;
/**
 * The same on a command line, read case-sensitively: it also ends at what reads as JSON's escaped
 * line break or tab before a next line (inside a JSON string, IN_JSON_STRING: raw text's `\n` is
 * a password's backslash as often; an odd run of backslashes before `n`, `r` or `t`, then
 * nothing or a word that starts as a command does, in lower case or with `.`, `/`, `~` or `$`, and
 * that a space, a quote or the end follows, or another such escape: `-P pw\nls -la` keeps `ls`,
 * `-P pw\r\n` the line break; `-P ab\tc\d` and `-P ab\tCd x` are one value; not at its first
 * character, which a line break cannot be). An even run is a backslash of the value in JSON
 * (`-pab\\ncd`), though in JSON inside JSON it is a line break, whose next word the value then
 * takes. Not in the case-insensitive SECRET_OPTION, where `[a-z]` would match capitals too.
 */
const COMMAND_OPTION_BARE = String.raw`(?:(?=(?:[^\s"'\\\`]|\\+[^\s"'\\\`nrt]){0,512}\\+[nrt])(?<=${IN_JSON_STRING})${BARE_CHARACTER}(?:[^\s"'\\\`]|(?:\\\\)+[^\s"'\\\`]|(?:\\\\)*\\(?:[^\s"'\\\`nrt]|[nrt](?!(?:[a-z.\/~$][a-z._\/-]*\d?)?(?:[\s"\`]|\\+"|$)|\\+[nrt]))|(?<=[^\s"'\\\`])\\+"(?=\w)){0,511}|${OPTION_BARE})`;
/** An option's value in double quotes, read with escapes; not JSON punctuation between two strings. */
const OPTION_DOUBLE_QUOTED = String.raw`"${notJsonPunctuation('"')}(?:[^"\\\r\n]|\\[^\r\n]){1,512}"`;
/** An option's value in apostrophes (OPTION_IN_APOSTROPHES); not JSON punctuation between two strings. */
const OPTION_APOSTROPHES = String.raw`'${notJsonPunctuation("'")}${OPTION_IN_APOSTROPHES}{1,512}'`;
/** A value in escaped quotes, one to three levels of JSON inside JSON, to the quote of its depth. */
const ESCAPED_QUOTED_VALUE = escapedQuoted((open, close, deeper) => String.raw`${open}(?![,:}\]])(?:[^"\\\r\n]|\\+[^"\\\r\n]|${deeper}){1,512}${close}`);
/**
 * Between a listed option and its value: a quote, then a comma or spaces (`'--token', '…'`,
 * Go's `"--token" "…"`), one item a line too; a comma without quotes inside brackets (Java's
 * `[app, --token, …]`, not prose's `Without --token, requests …`); or a YAML list's next item
 * (`- --token\n  - …`).
 */
const LIST_SEPARATOR = String.raw`\\*["'](?:,\s{0,64}|[ \t]{1,8})|,[ \t]?(?<=\[[^\]\r\n]{0,256})|\r?\n[ \t]*-[ \t]+`;
/**
 * An item without quotes after a listed option without quotes (Java's `[app, --token, …]`, a YAML
 * list's item): not code or JSON after a quoted option (`"--token", {…}`, `"--password", cfg.Password}`).
 */
const UNQUOTED_ITEM = String.raw`(?<=[\w-](?:,[ \t]?|\r?\n[ \t]*-[ \t]+))(?!(?:null|true|false)(?![\w-]))[^\s,[\](){}"'\`\\=;]{1,512}`;
/**
 * Database clients whose `--password` takes no next argument (`mysql -u root --password mydb`
 * prompts; psql's never takes one): after them it takes a value only with `=`.
 */
const NO_VALUE_CLIENT = String.raw`\b(?:mysql\w*|mariadb[\w-]*|psql|pg_\w+|createdb|dropdb)(?![\w-])`;
/** Tools whose `--secret` names a secret (`docker service create --secret my_secret`, gcloud's `--secret`), not one's value. */
const SECRET_NAME_CLIENT = String.raw`\b(?:docker|podman|nerdctl|buildah|gcloud)(?![\w-])`;
/**
 * A command-line option whose name says secret, and its value in the next argument:
 * `--password hunter2`, `-client-secret "…"`, as command lines, `ps` output and CI logs show them;
 * or in a list of arguments as `inspect`, JSON, Python, Go, Java and YAML print one. A value in
 * quotes (`'\''` inside apostrophes, escaped quotes in JSON inside JSON) is taken whole; one
 * without is taken to the next space or quote, a run of backslashes only with the character after
 * it (an escaped quote deeper in JSON inside JSON ends it). Not what NOT_AN_OPTION_VALUE names,
 * JSON punctuation, a JSON key after a listed option, a negated option's next argument
 * (`--no-password db`), plain `--secret` after a tool that takes a secret's name there
 * (SECRET_NAME_CLIENT), or after a client that takes none (NO_VALUE_CLIENT). The word after a spaced value is captured for the replacement, which also
 * leaves help texts' placeholders and descriptions (optionReplacement).
 */
const SECRET_OPTION = new RegExp(
  String.raw`(?<![\w-])(--?(?!no-|skip-|without-|secret(?![\w-])(?<=${SECRET_NAME_CLIENT}[^\r\n|;&]{0,256})|password(?![\w-])(?<=${NO_VALUE_CLIENT}[^\r\n|;&]{0,256}))(?=[A-Za-z])${SECRET_NAME})(?:(${OPTION_SPACE})(?!${NOT_AN_OPTION_VALUE})(${OPTION_DOUBLE_QUOTED}|"(?![\s,:}\]])(?:[^"\\\r\n]|\\[^\r\n]){1,512}(?=[\r\n]|$)|${OPTION_APOSTROPHES}|'(?![\s,:}\]])[^'"\r\n]{1,512}(?=[\r\n]|$)|${ESCAPED_QUOTED_VALUE}|${OPTION_BARE})(?=([ \t]+[a-z][\w-]*)?)|(?<!(?:[Ee]rror|Exception|[Ww]arning)\(\s{0,8}\\*["']--?[\w.-]{1,64})(${LIST_SEPARATOR})(?!\\*["'\`]?(?:-|${MARKER}|\$[({]|${PATH_START})|${SECRET_FIELD_AHEAD}|${OPTION_PROSE}|${NOT_A_SECRET_WORD}|\`(?:[A-Za-z]+ )?(?:\$\{[^}\r\n]*\})+\`)(${OPTION_DOUBLE_QUOTED}|'(?:[^'"\\\r\n]|"(?![,:}\]])|\\[^\r\n]){1,512}'|\`${BACKTICKED}{1,512}\`|${ESCAPED_QUOTED_VALUE}|${UNQUOTED_ITEM})(?!\s*:))`,
  "gi",
);
/**
 * A help text's placeholder for an option's value, or a value masked or left to the shell, a
 * template or a format: upper-case letters (`TOKEN`, `API_KEY`), words in `<>`, `[]`, `{}` or `()`
 * (`<token>`, `[Required]`, `{Password}`, `(string):`; not with digits, `<Xk9…>`), a mask (`***`,
 * `xxx`, `...`, `?`), a variable or expression (`%s`, `$TOKEN`, `$$DB_PASS`, `${password}`, `$1`,
 * `$(cat …)`, `$env:TOKEN`, `%SECRET%`, `{{ .Values.x }}`, `((db-password))`, `#{TOKEN}`); closing
 * brackets or punctuation after it (`[--token TOKEN]`). Case-sensitive, so checked by the replacement.
 */
const OPTION_PLACEHOLDER = /^(?:[A-Z][A-Z_]*|<[A-Za-z][A-Za-z_ .-]*>|\[[A-Za-z][A-Za-z_ .-]*\]|\{[A-Za-z_ .-]*\}|\([A-Za-z][A-Za-z_.-]*\):?|\*+|x{3,}|\.{3}|…|\?|%[sdvq]|%\w+%|\$\$?\{?[A-Za-z_]\w*\}?|\$\d+|\$\([^)]*\)|\$env:\w+|\{\{.*\}\}|\(\([\w.-]+\)\)|#\{\w+\})[\]).,;:]*$/;
/**
 * Whether `value`, bare, was ended by COMMAND_OPTION_BARE at an escaped line break (`after`
 * follows it): then it may be a secret's first part (`-pQA\\new2024`, a password holding `\n`), so
 * it is not taken for a placeholder or a word (`QA`) and left whole.
 */
function cutAtLineBreak(value: string, after: string): boolean {
  return openingQuoteOf(value) === "" && /^\\+[nrt]/.test(after);
}
/** An option's name or value as compared for "names itself": lower case, letters and digits only. */
const plainName = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, "");
/**
 * The replacement of SECRET_OPTION: the value's marker in its quotes; the match left as it is for a
 * placeholder, a value that names its own option (`--token token`, click's `'--api-key', 'api_key'`)
 * or a capitalized word before a lower-case one (a help text's description, `--access-token Access
 * token for …`).
 */
function optionReplacement(match: string, groups: readonly (string | undefined)[]): string {
  const [name = "", spaces, value, nextWord, separator = "", listed = ""] = groups;
  const taken = spaces !== undefined ? (value ?? "") : listed;
  const bare = unquoted(taken);
  const namesItself = /^[A-Za-z][A-Za-z_.-]{2,}$/.test(bare) && plainName(name).endsWith(plainName(bare));
  if (OPTION_PLACEHOLDER.test(bare) || namesItself || (nextWord !== undefined && /^[A-Z][a-z]+$/.test(bare))) return match;
  return `${name}${spaces ?? separator}${quotedMarker(taken, "api_token")}`;
}
/** MySQL's and MariaDB's command-line clients. */
const MYSQL_CLIENT = String.raw`(?:mysql(?:dump|admin|import|check|show|pump|binlog|slap|sh)?|mariadb(?:-?(?:dump|admin|import|check|show|binlog|slap))?)`;
/** A Windows prompt at a line's start (`C:\>`, `PS C:\Users\bob> `; its path without spaces, so not `C:\x.bat 2>`). */
const WINDOWS_PROMPT = String.raw`(?:^|[\r\n])(?:PS )?[A-Za-z]:\\[\w.()\\-]{0,256}>[ \t]?`;
/** Commands whose argument is a path, not a command to run (`Start-Process .\sqlcmd.exe -PassThru`, `copy .\mysql.exe …`). */
const PATH_COMMANDS = ["Start-Process", "Copy-Item", "Move-Item", "Remove-Item", "Rename-Item", "Get-Item", "Get-ChildItem", "Get-Content", "Set-Content", "Test-Path", "Set-Location", "Resolve-Path", "Split-Path", "Join-Path", "Unblock-File", "copy", "move", "del", "erase", "ren", "type", "cd", "dir", "ls", "cp", "mv", "rm", "cat", "start"].map(anyCase).join("|");
/**
 * Where a command's name starts: the start of a line or of a list item (after a space, `;|&(`, a
 * backtick, a quote, or JSON's escaped line break or tab: `"set -e\nmysql -p…"`; PowerShell's
 * `ConvertTo-SecureString` after `=` or `{` too: `$pw=ConvertTo-SecureString …`), or after a path that starts there (`/usr/bin/`, `./`); after a Windows
 * path only at a line's start, after `;|&(`, a quote or a prompt, and before a name with `.exe`
 * (`C:\Tools\sqlcmd.exe`, `"C:\Program Files\…\SQLCMD.EXE"`, PowerShell's relative `.\sqlcmd.exe` and
 * `& ..\bin\sqlcmd.exe`, `{ .\sqlcmd.exe`, `cmd /c .\mysql.exe`; not the path a command takes,
 * `Start-Process .\sqlcmd.exe -PassThru`; not after an argument, `/I
 * C:\deps\mysql -permissive-`, nor a directory, `["C:\\data\\mysql","-pool"]`); or after a Windows prompt
 * at a line's start (`C:\>`, `PS C:\Users\bob> `): not a path's last
 * part inside an option (`-I/usr/include/mysql`) or a word (`-lmysqlclient`). Not an option's
 * value (`--name mysql`, `-o mysql`) or the argument of a command that names a host, a process or
 * a package (`grep mysql`, `nmap mysql`, `systemctl status mysql`).
 */
const COMMAND_START = String.raw`(?<=(?:^|[\s;|&(\`"'[,]|\\[nrt]|[={](?=${SECURE_STRING}))(?:(?:\.{1,2}|~)?/(?:[\w.-]+/){0,16})?|(?:^|[\r\n;|&(\`"'[,]|\\[nrt]|${WINDOWS_PROMPT})[A-Za-z]:(?:\\{1,4}[\w.() -]{1,64}){0,16}\\{1,4}|(?:^|[\r\n;|&(\`"'[,{>]|\\[nrt]|${WINDOWS_PROMPT}|(?<!(?:^|[\s;|&({])(?:${PATH_COMMANDS})[ \t]*)[ \t])[ \t]*\.{1,2}(?:\\{1,4}[\w.() -]{1,64}){0,16}\\{1,4}|${WINDOWS_PROMPT})(?:(?<!\\)|(?=[\w-]{1,32}\.[Ee][Xx][Ee]\b))(?<!(?:^|[\s;|&(])(?:-{1,2}[A-Za-z][\w-]*|grep|egrep|fgrep|rg|ag|nmap|nc|ncat|ping|telnet|dig|nslookup|host|pgrep|pkill|killall|systemctl|status|service|journalctl|apt|apt-get|yum|dnf|apk|brew|which|whereis|man|echo)[ \t]+)`;
/**
 * What follows `-p` and is no password: a marker, an option, a port mapping or range
 * (`-p127.0.0.1:3306:3306`, `-p1-65535`), a compiler's or shell's flag (`-pthread`, `-pc`),
 * punctuation (`mysql -u root -p.` in prose), a variable or a template's expression (`-p$$X`,
 * `-p$(DB_PASS)`, `-p${password}`, `-p{Password}`, `-p%PW%`).
 */
const NOT_A_DASH_P_VALUE = String.raw`${MARKER}|\\*["']${MARKER}|\/?-|[\d.]+(?::[\d.]+)+|\d+-\d+(?=\s|$)|(?:thread|ipe|edantic|ie|ic|g|c|id)(?=\s|$)|[.,;:)\]!?]+(?=["'\s\`]|$)|\$|#?\{[A-Za-z_][\w.]*\}|%\w+%|\\[nrt]`;
/**
 * A database password given glued to `-p` on a MySQL or MariaDB client's command line
 * (`mysql -uroot -pS3cret db`, as a list item too: `"-pS3cret"`), up to a pipe or the end of the
 * command, line continuations included; or to `sshpass -p`. Only there: elsewhere `-p…` is a
 * port, a path or a compiler flag. Case-sensitive: `-P` is the port. A quoted value only after a
 * `-p` not itself in quotes (`"-p" + password` is code). Placeholders are left by the replacement.
 */
const DASH_P_PASSWORD = new RegExp(
  String.raw`(?=mysql|mariadb|sshpass|MYSQL|MARIADB)${COMMAND_START}((?:${MYSQL_CLIENT}(?:\.[Ee][Xx][Ee])?|${MYSQL_CLIENT.toUpperCase()}\.EXE)(?=[\s"',])(?:[^\r\n|;&<>]|\\\r?\n){0,256}?(?:[ \t]|(?<=[ \t,[(]["']))-p|sshpass(?:[ \t]+-[^\sp]\S*)*[ \t]+-p[ \t]*)(?!${NOT_A_DASH_P_VALUE})((?<!["']-p)${OPTION_DOUBLE_QUOTED}|(?<!["']-p)${OPTION_APOSTROPHES}|${ESCAPED_QUOTED_VALUE}|${COMMAND_OPTION_BARE})`,
  "g",
);

/** A quoted header's name, then a comma: a pair of name and value (`("Cookie", "…")`), HAR's `"value":` key too. */
const QUOTED_NAME_THEN_VALUE = String.raw`\\*["'][ \t]*,(?:\s{0,64}\\*["']value\\*["'][ \t]*:)?`;
/** Words of code before an expression, not an authentication scheme (`Authorization = new …`, `authorization: await getToken()`). */
const CODE_WORDS = ["new", "await", "typeof", "keyof", "readonly", "yield", "return", "this", "self", "void", "delete", "instanceof", "lambda", "async", "function", "const", "let", "var", "static", "public", "private", "protected", "not", "and", "or", "is", "as", "in", "of"].join("|");
/** Words of prose before a value, not an authentication scheme (`Authorization: denied user_1234`, `see https://…`). */
const PROSE_WORDS = ["see", "failed", "denied", "missing", "invalid", "expired", "required", "rejected", "granted", "scheduled", "pending", "uses", "using", "via", "with", "for", "by", "from", "to", "the", "an?", "was", "user", "id", "header", "error", "status"].join("|");
/**
 * An `Authorization` header's name and what separates it from its value. As a line, a field or
 * a parameter (`Authorization:`, `"authorization": "`, `authorization=`, Ruby's `=>`), after a
 * tab, or a space before a quote (Apache's `RequestHeader set Authorization "…"`, nginx's
 * `proxy_set_header Authorization "…"`); XML's `<Authorization>` (`<ns:Authorization>`); or a
 * pair of name and value (`Set("Authorization", "…")`, HAR's `"name": "Authorization", "value":`
 * over lines too, Java's `name=Authorization, value=` (`name: AUTHORIZATION, value:`), YAML's `name: Authorization` with `value:`
 * on the next line). The name may follow a digit (`HTTP/1.1Authorization:` when a URL's parser
 * dropped the line break between), JSON's escaped line break, `HTTP_` or `proxy_`, but ends no
 * other word (`preauthorization`, `last_authorization`, `PaymentAuthorization`).
 */
const AUTHORIZATION_NAME = String.raw`(?:<(?:[\w-]{0,32}:)?(?:proxy-)?authorization>|(?:\b|(?<=\d|\\[nrt]|(?:http|proxy)_))authorization(?:\\*["']?[ \t]*(?:=>|[:=])|\t|[ \t](?=[ \t]*\\*["'])|${QUOTED_NAME_THEN_VALUE}|(?:[ \t]*,[ \t]*|[ \t]+)value[ \t]*[:=]|[ \t]*\r?\n[ \t]*value[ \t]*:))`;
/**
 * A pair of name and value without a `value` key (`Set("Authorization", "…")`): the value needs a
 * scheme, so a list of headers' names is no credential (`["Authorization", "X-Amz-Date-2"]`).
 */
const PAIR_WITHOUT_VALUE_KEY = /^(?![^]*value)[^]*,/i;
/**
 * An HTTP `Authorization` or `Proxy-Authorization` header's credentials in a scheme other than
 * Bearer and Basic, which have rules of their own: `Token …` and GitHub's `token …`, Azure
 * Storage's `SharedKey account:signature`, Okta's `SSWS …`, `ApiKey …`, `Negotiate` and `NTLM`
 * blobs; or a token with no scheme (`Authorization: <token>`). After AUTHORIZATION_NAME, the value
 * in a list (`["Token …"]`, Go's `map[Authorization:[Token …]]` and `[]string{…}`) or Python's
 * bytes too. Groups: the header's name and separator, the scheme with its spaces, the credentials
 * (token68 as RFC 9110 writes it, with `:` and `%` too; not a call, `new
 * AuthenticationHeaderValue(…)`; up to the next header's name, so a run of names costs its length
 * once). The replacement takes only what reads as a credential (credentialLike), so prose after
 * the name stays (`Authorization: required`, `authorization: insufficient_scope notes:write`).
 * Credentials as parameters (Digest's `response="…"`, AWS's `Signature=…`, OAuth 1.0's
 * `oauth_signature="…"`) are not read: each signs one request.
 */
const AUTHORIZATION_HEADER = new RegExp(
  String.raw`(${AUTHORIZATION_NAME}[ \t]*(?:(?:\[\]string\{|\[)[ \t]*)?(?:b?\\*["'][ \t]*)?)((?!(?:${CODE_WORDS}|${PROSE_WORDS}|bearer|basic)\b)[A-Za-z][\w.~+-]{0,39}[ \t]+)?((?:(?!authorization)[\w\-.~+/:%]){8,}=*)(?!(?!authorization)[\w\-.~+/:%=(])`,
  "gi",
);
/** A value that is no token: a URL, a date or time, a version, an IPv6 address (the IP scanner truncates it). */
const NOT_A_TOKEN = /:\/\/|^\d{4}-\d{2}-\d{2}(?:[T ]|$)|^v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]*)?$|^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%\w+)?$/i;
/** A scheme's name with no credentials after it, not a token: capitals and digits in dashed parts (`AWS4-HMAC-SHA256 Credential=…`). */
const SCHEME_NAME = /^[A-Z0-9]+(?:-[A-Z0-9]+)+$/;
/** What follows a token alone that shows it is a scheme: the marker of its credentials. */
const MARKER_AFTER = new RegExp(String.raw`^[ \t]+\\*["']?${MARKER}`);
/** A word in camel or Pascal case, as names are written (`AdministratorAccess`, `isExpired`): no credential. */
const CAMEL_CASE_WORD = /^[a-z]*(?:[A-Z][a-z]+)+$/;
/** A dotted chain of short identifiers, as code writes a property's path (`process.env.API_TOKEN2`). */
const PROPERTY_PATH = /^[A-Za-z_$][\w$]{0,31}(?:\.[A-Za-z_$][\w$]{0,31})+$/;
/**
 * A credential, not a word of prose: 8 characters or more (padding aside) with letters and digits,
 * or capitals after the first letter but not a word in camel case; or 16 digits or more; or 24
 * lower-case letters or more.
 */
function credentialLike(value: string): boolean {
  const text = value.replace(/=+$/, "");
  if (text.length < 8) return false;
  if (/[A-Za-z]/.test(text) && (hasDigit(text) || (/[a-z]/.test(text) && /[A-Z]/.test(text.slice(1)) && !CAMEL_CASE_WORD.test(text)))) return true;
  return (text.length >= 16 && /^\d+$/.test(text)) || (text.length >= 24 && /^[a-z]+$/.test(text));
}

/**
 * API tokens of services, by the prefix or shape each service gives them (the prefixes as each
 * service documents them; lengths a little looser, so a format's next version still matches).
 * The first ever known, as before, to any character (`ghp_…_backup` loses its suffix too):
 * GitHub's `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and `github_pat_`; Slack's `xox…-` and
 * `xapp-`; Stripe's `sk_`/`rk_live_`/`test_`; OpenAI's and Anthropic's `sk-…`; npm's `npm_`;
 * GitLab's `glpat-`.
 */
const KNOWN_TOKENS = [
  String.raw`gh[pousr]_[A-Za-z0-9]{30,}`,
  String.raw`github_pat_[A-Za-z0-9_]{20,}`,
  String.raw`xox[abposre]-[A-Za-z0-9-]{10,}`,
  String.raw`xapp-\d-[A-Za-z0-9-]{10,}`,
  String.raw`[sr]k_(?:live|test)_[A-Za-z0-9]{10,}`,
  String.raw`sk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,}`,
  String.raw`npm_[A-Za-z0-9]{36}`,
  String.raw`glpat-[A-Za-z0-9_-]{20,}`,
];
/**
 * Then, whole (not the start of a longer identifier): Stripe's webhook secrets `whsec_`; GitLab's
 * runner, deploy, trigger, CI-job, incoming-mail, agent, SCIM, feature-flag, OAuth-application
 * and workspace tokens; Hugging Face's `hf_` and `api_org_`; Shopify's `shpat_`, `shpca_`,
 * `shppa_`, `shpss_`; Databricks' `dapi…`; DigitalOcean's `dop_v1_`, `doo_v1_`, `dor_v1_`;
 * HashiCorp Vault's `hvs.`, `hvb.`, `hvr.`; PyPI's and TestPyPI's `pypi-AgE…`; Docker Hub's
 * `dckr_pat_` and `dckr_oat_`; Postman's `PMAK-` and `PMAT-`; Linear's `lin_api_` and
 * `lin_oauth_`; Notion's `ntn_` and `secret_…`; Grafana's `glsa_` and `glc_eyJ…`; New Relic's
 * `NRAK-`, `NRII-`, `NRJS-`; Atlassian's `ATATT3…`; SendGrid's `SG.….…`; Google's OAuth client
 * secrets `GOCSPX-`; Doppler's `dp.pt.`, `dp.st.`, `dp.ct.`, `dp.sa.`, `dp.scim.`, `dp.audit.`;
 * Buildkite's `bkua_`; 1Password's service-account `ops_eyJ…`; age's `AGE-SECRET-KEY-1…`.
 */
const WHOLE_TOKENS = [
  String.raw`whsec_[A-Za-z0-9+/]{24,}`,
  String.raw`gl(?:rt|rtr|dt|ptt|cbt|imt|agent|soat|ffct|ft|oas|wt)-[A-Za-z0-9_-]{20,}`,
  String.raw`hf_[A-Za-z0-9]{30,}`,
  String.raw`api_org_[A-Za-z0-9]{30,}`,
  String.raw`shp(?:at|ca|pa|ss)_[A-Fa-f0-9]{32}`,
  String.raw`dapi[a-f0-9]{32}(?:-\d+)?`,
  String.raw`do[opr]_v1_[a-f0-9]{64}`,
  String.raw`hv[sbr]\.[A-Za-z0-9_-]{24,}`,
  String.raw`pypi-AgE[A-Za-z0-9_-]{60,}`,
  String.raw`dckr_[po]at_[A-Za-z0-9_-]{24,}`,
  String.raw`PMA[KT]-[a-f0-9]{24}-[a-f0-9]{34}`,
  String.raw`lin_(?:api|oauth)_[A-Za-z0-9]{40,}`,
  String.raw`ntn_[A-Za-z0-9]{40,}`,
  String.raw`secret_[A-Za-z0-9]{43}`,
  String.raw`glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`,
  String.raw`glc_eyJ[A-Za-z0-9+/]{29,}={0,2}`,
  String.raw`NR(?:AK|II|JS)-[A-Za-z0-9]{27,}`,
  String.raw`ATATT3[A-Za-z0-9_=-]{40,}`,
  String.raw`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}`,
  String.raw`GOCSPX-[A-Za-z0-9_-]{28}`,
  String.raw`dp\.(?:pt|st|ct|sa|scim|audit)\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,44}`,
  String.raw`bkua_[A-Za-z0-9]{40}`,
  String.raw`ops_eyJ[A-Za-z0-9+/]{100,}={0,3}`,
  String.raw`AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}`,
];
/**
 * The tokens above from a word's start, after JSON's escaped line break or tab, or glued to a
 * one-letter option (`-pghp_…`); and, after any character but a token's own, Google's refresh
 * tokens `1//0…` and Microsoft Entra ID (Azure AD) client secrets (40 characters with `Q~` after
 * the fourth), `=` before them too (`rt=1//0…`, `-p=…Q~…`).
 */
const SERVICE_TOKEN = new RegExp(
  String.raw`(?:\b|(?<=\\[nrt])|(?<=(?:^|\s)-[A-Za-z]))(?:${KNOWN_TOKENS.join("|")}|(?:${WHOLE_TOKENS.join("|")})(?![A-Za-z0-9_-]))|(?:(?<![\w~.+/-])|(?<=\\[nrt]))(?:1\/\/0[A-Za-z0-9_-]{40,}|[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![\w~.+/=-])`,
  "g",
);
/**
 * A URL's `code` parameter (after `?`, `&` or a fragment's `#`): from 40 characters with letters
 * and digits, an Azure Functions key (`?code=…==`) or an OAuth authorization code (Google's
 * `4/0A…`), each a credential; from 8 with a credential's shape in a query or fragment that also
 * carries OAuth's `state` (an authorization response, `/callback?code=…&state=…`: GitHub's codes
 * are 20 characters), up to eight parameters before or after it. Short ones elsewhere
 * (`?code=404`, `?code=SUMMER2024`) and source code, as playgrounds put it in a URL (spaces and
 * braces percent-encoded), are left. Groups: a `state` before the code, one after it.
 */
const CODE_PARAMETER = /(?<=(?:[?&#](?:amp;)?(?:session_)?state=([^\s&#"'<>\\]{1,512})(?:&(?:amp;)?[^\s#"'<>&]{0,512}){0,8})?[?&#](?:amp;)?code=)[A-Za-z0-9_~.%/+-]{8,}(?:=|%3D){0,2}(?![A-Za-z0-9_~.%/+=-])(?=(?:(?:&(?:amp;)?[^\s#"'<>&]{0,512}){0,8}?&(?:amp;)?(?:session_)?state=([^\s&#"'<>\\]{1,512}))?)/g;
/** A `state` that is no OAuth client's: a US state's code (`NY`), a word (`active`, `shipped`). */
const NOT_OAUTH_STATE = /^(?:[A-Z]{2}|[A-Za-z]+)$/;
/** A code with `/` or `+` that is a key or a code, not a path or words (`src/main/…`, `a+b+c`): base64 padding at its end, or Google's `4/…`. */
const CODE_WITH_SLASH = /^\d\/|(?:=|%3D)$/i;
/** What a URL's or a form's parameter value holds: up to the next parameter, fragment, space, quote or bracket. */
const PARAMETER_VALUE = String.raw`[^\s&#;?"'<>\\\`()[\]{}|,]`;
/**
 * A URL's or a form's parameter whose name is no secret's elsewhere but whose value is a credential
 * in a URL: a session's id (Java's `;jsessionid=…`, PHP's `PHPSESSID`, ASP's `ASPSESSIONID…`,
 * `session_id`, Socket.IO's `sid`), a password's short names (`pass`, `pw`: at a word's start or
 * after JSON's escaped line break too, `pw=…` in a command, `pass=…&remember=1` as a form's body,
 * `PASS="…"`), a key (`?key=…`), an auth value (Firebase's `?auth=…`) and OpenWeather's API key
 * `appid`. A bare value is read up to 512 characters, no further: a longer one keeps its rest, so
 * a chain of names (`pw=pw=…`) is no value for any of them. Groups: what stays before the value,
 * the parameter's name (in a query, or at a word's start), the quote, the quoted value, the bare
 * value.
 */
const URL_SECRET_PARAMETER = new RegExp(
  String.raw`((?:(?<=[?&;])(jsessionid|phpsessid|aspsessionid[a-z]{0,8}|sess(?:ion)?[_-]?id|sid|session|pass|pw|key|auth|appid)|(?:(?<![\w.$@/\\%-])|(?<=\\[nrt]))(pass|pw))=)(?:(\\*["'])((?:(?!\4)[^\r\n"]){1,256}?)\4(?!\w)|(${PARAMETER_VALUE}{1,512}))`,
  "gi",
);
/** Whether URL_SECRET_PARAMETER is worth trying: one of its names and `=` (a linear test: no run of word characters before the `=`). */
const URL_SECRET_PARAMETER_NAME = /(?:sessionid[a-z]{0,8}|sess(?:ion)?[_-]?id|sid|session|pass|pw|key|auth|appid)=/i;
/** A parameter's value that stands for no password: a switch or a small number, punctuation after it (a test's `pass=6:`). */
const NO_PASSWORD_VALUE = /^(?:true|false|null|none|yes|no|on|off|\d{1,4})[.,:]?$/i;
/** A test's or a check's result, not a password (`pass=passed`, a tally's `pass=20399`). */
const PASS_RESULT = /^(?:pass(?:ed|es)?|fail(?:ed|s)?|ok|success|skip(?:ped)?|pending|error|todo|n\/a|-+)$/i;
/** A tally or a ratio (`pass=20399`, `pass=1.0`, `98.57%`): at a word's start or under a key a result, in a URL's query a PIN as often. */
const TALLY = /^\d+(?:[./]\d+)?%?$/;
/** Two words of five lower-case letters or more among a value's dashed or underscored parts: a name (`tenant-42-feature-flags-v7`), not a key. */
const WORDY_ID = /(?:^|[-_])[a-z]{5,}(?=[-_]|$)[^]*[-_][a-z]{5,}(?=[-_]|$)/;
/** A name of words (WORDY_ID) with no long run of letters and digits in it, as a random id has (`abcd_efgh_1234567890abcdef`). */
const wordyName = (value: string): boolean => WORDY_ID.test(value) && !/[A-Za-z0-9]{12,}/.test(value);

/** A password's shape where a name says one may follow: a credential's (see credentialLike), or six characters or more with a digit and something else (`hunter2x`, `Fake-Pw-2026`). */
const passwordShaped = (value: string): boolean => credentialLike(value) || (value.length >= 6 && hasDigit(value) && /\D/.test(value));

/**
 * Whether a `pass` or `pw` parameter's value is a password: not a placeholder, a variable, a
 * format's expression, the word for it, a result or a switch; at a word's start (a command's
 * `pw=…`, a form's body), only with a credential's shape or six characters with a digit, as
 * code's `pw=pw` and `var pw=fw;` are none.
 */
function passwordParameter(value: string, atWordStart: boolean): boolean {
  if (value.length < 3 || /^[$%]|^\s|\s$/.test(value) || namesNoPassword(value) || NO_PASSWORD_VALUE.test(value) || PASS_RESULT.test(value) || PROPERTY_PATH.test(value) || PROSE_TEXT.test(value)) return false;
  return !atWordStart || (!TALLY.test(value) && passwordShaped(value));
}

/** Whether a URL_SECRET_PARAMETER's value is the credential its name says it may be. */
function urlParameterIsSecret(name: string, value: string, atWordStart: boolean): boolean {
  switch (name) {
    case "pass":
    case "pw":
      return passwordParameter(value, atWordStart);
    case "key":
    case "auth":
    case "appid":
      // Not an object's key or path (`?key=uploads/2024/report-v2.pdf`, `%2F` too), a file's name, a short id, a name of words.
      return value.length >= 20 && !value.includes(".") && !/%2F/i.test(value) && (!/[/+]/.test(value) || CODE_WITH_SLASH.test(value)) && !wordyName(value) && credentialLike(value);
    case "session":
      // A conference's session or a date as often as an id: twelve characters or more, not words with a year (`MorningKeynote2024`).
      return value.length >= 12 && !wordyName(value) && !NOT_A_TOKEN.test(value) && !/^(?:[A-Z][a-z]+){2,}\d*$/.test(value) && credentialLike(value);
    default:
      // A session's id (ASP's are capitals alone); not a Windows account's SID or an encoded placeholder (`%5Bredacted%5D`).
      return !/^S-1-\d|^%5B/i.test(value) && !wordyName(value) && (credentialLike(value) || /^[A-Za-z0-9]{20,}$/.test(value));
  }
}

/**
 * A password named in prose and given after it, as error messages and logs write one: quoted,
 * right after the word or after a verb (`login failed with password 'FakePw'`, `Password changed
 * to "…"`, `set the password to \"…\"` in JSON), or bare after a verb (`The password for bob is
 * …`, `new password was …`), or bare right after the word when it reads as a credential (`new
 * password FakePw9x2 set`); and SQL's `IDENTIFIED BY` after a user, a role or `TO` and a name, or
 * `FOR` and a quoted account (`ALTER USER scott IDENTIFIED BY …`, `failed for 'app'@'%' IDENTIFIED
 * BY …`; not prose's `the header identified by name`, `for part identified by \`name\``). A bare
 * value stops at a backslash, so JSON's escapes after it stay. Groups: what stays before the
 * value, the quote (escapes and all), the quoted value, the bare value.
 */
const PROSE_PASSWORD = new RegExp(
  String.raw`(\b(?:(?:password|passwd|passphrase)(?:[ \t]+for[ \t]+(?:(?:the|user|account)[ \t]+){0,2}(?:${MARKER}|\\*["'\`][^"'\`\r\n\\]{1,64}\\*["'\`]|[\w.@'%-]{1,64}))?(?:[ \t]+(?:(?:(?:has|have)[ \t]+been[ \t]+|was[ \t]+|is[ \t]+)?(?:set|changed|reset|updated)[ \t]+to|is|was|to)[ \t]+|[ \t]*=[ \t]*|[ \t]+)|(?=identified)(?<=\b(?:(?:user|role|to)[ \t]{1,64}[^\s;]{1,128}|for[ \t]{1,64}[^\s;]{0,64}['"@][^\s;]{0,64})[ \t]{1,64})identified[ \t]+(?:with[ \t]+['"\w-]{1,64}[ \t]+)?by(?:[ \t]+password)?[ \t]+))(?:(\\*["'\`])((?:(?!\2)[^\r\n"]){1,256}?)\2(?!\w)|([^\s"'\`\\;,(]{4,256}))`,
  "gi",
);
/** What PROSE_PASSWORD's prefix ends with when a verb gives the value (`is`, `was`, `set to`, `changed to`, `=`, SQL's `IDENTIFIED BY`). */
const PROSE_VERB = /(?:\b(?:is|was|(?:set|changed|reset|updated)[ \t]+to|by(?:[ \t]+password)?)[ \t]+|=[ \t]*)$/i;
/** … when `to` alone gives it (`password to "…"`, but not `convert the password to UCS2`). */
const PROSE_TO = /\bto[ \t]+$/i;
/** … when a user is named before the value (`password for bob is …`): then only a verb gives it (`password for user 'bob'` names the user). */
const PROSE_FOR = /[ \t]for[ \t]/i;
/** A value after `=` is the secret fields' to read (code too: `config.password = parts.join(":")`), but after a user's name (SQL's `SET PASSWORD FOR 'app'@'%' = '…'`) only in quotes. */
const AFTER_EQUALS = /=[ \t]*$/;
/** Punctuation that ends a sentence after a bare value, kept. */
const SENTENCE_END = /[.:!?)\]}]+$/;
const PATH_AT_START = new RegExp(`^(?:${PATH_START})`);
/** How prose says a password is kept or encoded: a hash's, a cipher's or an encoding's name (`password is sha256 hashed`, `is utf8mb4`, `is AES-256 encrypted`). */
const HASH_NAME = /^(?:md5|sha\d?-?\d+|hmac[\w-]*|bcrypt|scrypt|argon2\w*|pbkdf2[\w-]*|aes-?\d*|rsa-?\d*|ed25519|x509\w*|utf-?\d+\w*|ucs-?\d|base\d+|iso-?\d+(?:-\d+)*|latin-?\d|ascii|hex|\w*_password)$/i;
/** A word with a suffix of a word in lower case, as prose qualifies a password (`base64-encoded`, `64-bit`, `2FA-protected`, `URL-encoded`). */
const QUALIFIER = /-(?:[a-z]{2,}|[A-Z]{2,})$/;
/**
 * What names or points to a password rather than being one: an environment variable's name
 * (`DB_PASSWORD2`), a reference or path with `:`, `/` or `[` (`env:DB_PASS1`, `kv2/data/app1`,
 * `sys.argv[2]`), and, right after the word with no verb, an address, a hash or an id
 * (`password 0x7ffd5e8c4a10`, a hash's hex, a UUID).
 */
const NAMES_A_PASSWORD = /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$|[:/[]/;
const ID_OR_HASH = /^(?:0x[0-9a-f]+|[0-9a-f]{32,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** A word after a bare value that shows the value qualified the password (`is AES-256 encrypted`, `is 12 characters long`). */
const QUALIFIED_BY = /^[ \t]+(?:encoded|encrypted|hashed|salted|bits?|characters?|chars?|digits?|long|minimum|maximum|min|max|compatible|format(?:ted)?|only|protected|based|collated|strength|length)\b/i;
/** A placeholder in a template, a format or a CI system, in quotes (`'{0}'`, `"%1$s"`, `'%(password)s'`, `'<%= pw %>'`, `':password'`, `'@PASSWORD@'`, `'__PASSWORD__'`, `'${{ secrets.PW }}'`), or a mask (`'•••••'`, `'***REMOVED***'`). */
const QUOTED_PLACEHOLDER = /^(?:\{.*\}|#\{.*\}#?|%\d*\$?[sdv]|%\(\w+\)[sd]|%\{\w+\}|<%.*%>|:\w+|@@?\w+(?:@@?)?|__\w+__|\[\[.*\]\]|\$\{\{.*\}\}|[^\p{L}\p{N}]+|.*\b(?:REMOVED|REDACTED|MASKED|FILTERED|HIDDEN)\b.*)$/u;
/** What a document or a help text says a password is, in quotes, not a password (`If password is \`None\``, `password is 'required'`). */
const DOC_WORD = /^(?:required|optional|missing|default|empty|blank|unset|invalid|incorrect|wrong|expired|correct|valid|set|nil|undefined|keychain|prompt|stdin|auto)$/i;

function prosePasswordReplacement(before: string, quote: string | undefined, quoted: string | undefined, bare: string | undefined, after: string): string | undefined {
  const verb = PROSE_VERB.test(before);
  if (PROSE_FOR.test(before) ? !verb : AFTER_EQUALS.test(before)) return undefined;
  if (quoted !== undefined) {
    // Not a shadow file's `x` or `!`, a placeholder, the word, a sentence, a path, or spaces around words (a help text's `" ] @ ] "`).
    if (quoted.length < 3 || /^\s|\s$/.test(quoted) || namesNoPassword(quoted) || QUOTED_PLACEHOLDER.test(quoted) || NO_PASSWORD_VALUE.test(quoted) || DOC_WORD.test(quoted) || PROSE_TEXT.test(quoted) || PATH_AT_START.test(quoted) || quoted.includes("[REDACTED:")) return undefined;
    return `${before}${quote ?? ""}${marker("api_token")}${quote ?? ""}`;
  }
  if (AFTER_EQUALS.test(before) || bare === undefined) return undefined;
  const end = SENTENCE_END.exec(bare)?.[0] ?? "";
  const value = bare.slice(0, bare.length - end.length);
  if (!proseBareValue(value, before, verb, end === "" ? after : "")) return undefined;
  // After a verb, a credential's shape or a short word with digits (`is hunter2`); right after the word, a credential's shape with digits (`new password FakePw9x2 set`, not `Password GENerator`).
  const taken = verb ? passwordShaped(value) : credentialLike(value) && hasDigit(value);
  return taken ? `${before}${marker("api_token")}${end}` : undefined;
}

/**
 * Whether a bare value after PROSE_PASSWORD's prefix (`verb`: whether the prefix ends in one) may
 * be a password: it starts as a word does, holds no `=` (`password nextgroup=…`) and is no call
 * (`password is getPassword()`), property's path, placeholder, version, name or reference
 * (`DB_PASSWORD2`, `env:…`), or word that says how a password is kept (`is sha256 hashed`, `is base64-encoded`, `is AES-256 encrypted`); not after
 * a tab (a table's columns), `to` alone or `passwd` with no verb (the command: `sudo passwd
 * jenkins2`), nor an address, a hash or an id with no verb.
 */
function proseBareValue(value: string, before: string, verb: boolean, after: string): boolean {
  if (value.length < 4 || !/^[A-Za-z0-9]/.test(value) || /[=#]/.test(value) || after.startsWith("(") || /\t$/.test(before)) return false;
  if (!verb && (PROSE_TO.test(before) || /passwd[ \t]+$/i.test(before) || ID_OR_HASH.test(value))) return false;
  return !(NAMES_A_PASSWORD.test(value) || PROPERTY_PATH.test(value) || HASH_NAME.test(value) || QUALIFIER.test(value) || QUALIFIED_BY.test(after) || placeholderOrMarked(value) || NOT_A_TOKEN.test(value));
}

/**
 * Whether a text holds any word the rules for protocols and database tools below look for (Redis's,
 * .pgpass's, Oracle's): one test for the text, remembered while the rules before a replacement see
 * the same string.
 */
let lastProtocolText: string | undefined;
let lastProtocolWords = false;
function protocolWords(text: string): boolean {
  if (text !== lastProtocolText) {
    lastProtocolText = text;
    lastProtocolWords = PROTOCOL_WORDS.test(text);
  }
  return lastProtocolWords;
}
/**
 * Where a line starts: the text's start, a line break (JSON's escaped one at any depth), or an
 * opening quote: a JSON value's (escaped too: `{"log":"PASS …"}`), an assignment's, a YAML list
 * item's, what `echo` or `printf` prints or a `send…(` call sends, or one whose string holds an escaped line break, as a
 * protocol's line is sent (`sock.send("PASS …\r\n")`); not any quote (`print("PASS abc123")`,
 * `out == "PASS a1b2c3"` are code).
 */
const LINE_START = String.raw`(?:^|[\r\n]|(?<!\\)\\{1,8}[nr]|(?<=(?:[:[,]|(?<![=!<>])=|\b(?:echo|printf)|\bsend\w{0,8}\(|(?:^|[\r\n])[ \t]{0,8}-)[ \t]{0,8})(?<!\\)\\{0,8}["']|(?<!\\)\\{0,8}["'](?=[^"'\r\n]{1,512}?\\{1,8}[rn]))`;
/** Where a line ends: a line break (JSON's escaped one at any depth), a quote (escaped too; a debug log's `'…\r\n'`) or the text's end. */
const LINE_END = String.raw`(?=\\{1,8}[rn"]|[\r\n'"]|$)`;
/**
 * A password in quotes as a command's argument, for the rules below: in plain quotes (escapes
 * inside) or in escaped ones (JSON's, no escapes inside). Groups: the quote's backslashes (""
 * for plain quotes), the password (two groups). `group` is the first one's number in the pattern
 * it is put in, for the closing quote's backreference.
 */
const quotedArgument = (group: number): string => String.raw`(\\*)"(?:(?<=(?:^|[^\\])")((?:[^"\\\r\n]|\\[^\r\n]){1,256})|(?<=\\")([^"\\\r\n]{1,256}))${"\\" + String(group)}"`;
/**
 * Redis's passwords: `requirepass` and `masterauth` at a configuration line's start (indented
 * too; not a comment's example, `# requirepass foobared`) or set with `CONFIG SET`; `AUTH` as
 * MONITOR prints it after its time and client (`… [0 10.0.0.1:52100] "AUTH" "…"`, `"AUTH" "default"
 * "…"`, `"CONFIG" "SET" "requirepass" "…"`), after redis-cli's prompt (`127.0.0.1:6379> AUTH …`, a
 * user before it too) or as its command's arguments (`redis-cli -h host AUTH …`); `HELLO 3 AUTH
 * user …`. The value ends the line (but for HELLO's `SETNAME`), so prose (`run AUTH followed by
 * your password`) is none. Groups: what stays before the value, the quote's backslashes, the
 * quoted value (two groups), the bare value.
 */
const REDIS_PASSWORD = new RegExp(
  String.raw`((?:${LINE_START}[ \t]*|\bCONFIG[ \t]+SET[ \t]+)(?:requirepass|masterauth)[ \t]+|\d\.\d{1,9}[ \t]+\[\d{1,2}[ \t]+[^\]\r\n]{1,128}\][ \t]+(?:(\\*)"CONFIG\2"[ \t]+\2"SET\2"[ \t]+\2"(?:requirepass|masterauth)\2"[ \t]+|(\\*)"AUTH\3"[ \t]+(?:\3"[^"\\\r\n]{1,128}\3"[ \t]+)?)|(?:[\w.:-]{1,64}:\d{1,5}(?:\[\d{1,2}\])?>[ \t]*|\bredis-cli(?:[ \t]+[^\s|;&]{1,256}){0,16}?[ \t]+)AUTH[ \t]+(?:[^\s"]{1,64}[ \t]+)?|\bHELLO[ \t]+[23][ \t]+AUTH[ \t]+[^\s"]{1,64}[ \t]+)(?:${quotedArgument(4)}|([^\s"'\\]{1,256}))(?=[ \t]*(?:\\{1,8}[rn"]|[\r\n'"]|$)|[ \t]+SETNAME\b)`,
  "gi",
);
/**
 * A Redis ACL user's rules (`user app on >… ~* +@all` in an ACL file, `ACL SETUSER app on >…`):
 * the user, then rules only (`on`, `off`, key, channel and command patterns, `no…` (`nopass`,
 * `nocommands`), `reset…`, `all…`, each read one way only, passwords to add, `>…`, or remove, `<…`, and their hashes, `#…`), so a shell's
 * redirection (`user list >users.txt`) is none. Each `>…` in them is a password (no quote or
 * backslash in it, so a JSON string's end stays). Groups: the user, the rules.
 */
const REDIS_ACL = new RegExp(
  String.raw`((?:${LINE_START}[ \t]*user|\bACL[ \t]+SETUSER)[ \t]+[^\s>"'$]{1,64})((?:[ \t]+(?:on|off|skip-sanitize-payload|sanitize-payload|(?:all|no|reset)[a-z]{0,12}|[~%&+\-<>#!][^\s"\\]{0,256}|\((?:[^)\r\n"\\]){0,256}\))){1,64})(?=[ \t]*(?:\\{1,8}[rn"]|[\r\n'"]|$))`,
  "gi",
);
/** An ACL rule that is no password: a switch, a pattern, a command's or a category's. */
const ACL_RULE = /(?:^|[ \t])(?:on|off|nopass|[~%&+-][^\s]*|(?:all|no|reset)[a-z]*)(?=[ \t]|$)/i;
/** A `>password` among an ACL user's rules (not one already a marker). */
const ACL_PASSWORD = /(?<=[ \t])>(?!\[REDACTED:)[^\s"\\]{1,256}/g;
/** PostgreSQL's ports, as a `.pgpass` line names them: 54xx, PgBouncer's 6432, CockroachDB's 26257, managed services' 25060. */
const PG_PORT = String.raw`54\d\d|6432|26257|25060`;
/**
 * A line of PostgreSQL's password file (`.pgpass`, `hostname:port:database:username:password`; a
 * field may be `*`, the port one of PostgreSQL's): indented, or echoed in quotes (`echo
 * 'db:5432:app:app:…' > ~/.pgpass`); the four fields, then the password (`\:` and `\\` escaped in
 * it; not ending in one, so a JSON string's escapes after it stay whole), to the line's end or a
 * quote. Groups: the line's start and fields, the host, the database,
 * the user, the password.
 */
const PGPASS_LINE = new RegExp(
  String.raw`(${LINE_START}[ \t]*((?:[^\s:#\\"']|\\:){1,253}|\*):(?:${PG_PORT}|\*):((?:[^\s:\\]|\\:){1,64}|\*):((?:[^\s:\\]|\\:){1,64}|\*):)((?:[^\s:\\"']|\\[:\\]){1,256})(?<!\\)${LINE_END}`,
  "g",
);
/** Oracle's tools that take a logon. */
const ORACLE_TOOL = "(?:sqlplus|impdp|expdp|sqlldr|rman|dgmgrl)";
/** exp's and imp's names as a command's: words too (`the exp a/b ratio`). */
const EXP_IMP_COMMAND = String.raw`\b(?:exp|imp)(?:\.exe)?[ \t]`;
/** Whether ORACLE_LOGON is worth trying: a tool's name, `userid=`, `conn`, exp's or imp's. */
const ORACLE_WORDS = new RegExp(String.raw`${ORACLE_TOOL}|userid=|conn|${EXP_IMP_COMMAND}`, "i");
/** The words protocolWords looks for: the trigger words of the rules it gates, the ports of PGPASS_LINE. */
const PROTOCOL_WORDS = new RegExp(String.raw`requirepass|masterauth|auth|user|:(?:${PG_PORT}|\*):|${ORACLE_TOOL}|conn|${EXP_IMP_COMMAND}`, "i");
/** A .pgpass field that names something: a letter in it, or `*`; a host as an IPv4 address too (so times and IPv6 addresses are none). */
const PGPASS_NAME = /[A-Za-z]|^\*$/;
const PGPASS_HOST = /[A-Za-z]|^\*$|^\d{1,3}(?:\.\d{1,3}){3}$/;
/**
 * IMAP's `LOGIN` as a client's debug log or a session prints it (`a001 LOGIN bob …`, Python's
 * imaplib `> b'ABCD1 LOGIN bob "…"'`, curl's `> A002 LOGIN …`): at a line's start or after a
 * debug prefix, a tag with a digit, the command in capitals, the user; then the password, quoted
 * (escapes inside; JSON's escaped quotes too) or a word, to the line's end. Groups: what stays,
 * the quote's backslashes, the quoted password (two groups), the bare password.
 */
const IMAP_LOGIN = new RegExp(
  String.raw`((?:${LINE_START}|(?<!\w)b'|>[ \t]{0,2}|(?:\b|(?<=\\[nrt]))C:[ \t]*|>[ \t])[ \t]*[A-Za-z]{0,8}\d{1,8}[ \t]+LOGIN[ \t]+(?:\\*"[^"\\\r\n]{1,256}\\*"|[^\s"(){%*\\]{1,256})[ \t]+)(?:${quotedArgument(2)}|([^\s"(){%*\\']{1,256}))${LINE_END}`,
  "g",
);
/**
 * POP3's and FTP's `PASS` command at a line's start or after a client's debug prefix (Python's
 * `*cmd* 'PASS …'`, `*put* 'PASS …'` and `send: '…'`, a session's `C: `, curl's `> `, ftp's
 * `---> `): one space, then a word to the line's end. Not a test runner's `PASS  src/…` (two
 * spaces) or `PASS: …`. Groups: what stays, the password.
 */
const PASS_COMMAND = new RegExp(
  String.raw`((?:${LINE_START}(?:>[ \t])?|\*(?:cmd|put)\*[ \t]+b?'|send:[ \t]*b?'|(?:\b|(?<=\\[nrt]))C:[ \t]*|-{2,3}>[ \t]*)PASS[ \t])(?![ \t])([^\s'"\\]{1,256})${LINE_END}`,
  "g",
);
/** PASS_COMMAND's prefixes that say a protocol's dialogue is printed: there any word is the password; at a line's start only one with a password's shape that is no path, version or test's name (`PASS tests/x.sh`, `PASS v1.2.3`, `PASS test_case_01`). */
const PROTOCOL_DEBUG = /cmd|put|send|C:|>/;
const NOT_A_PASS_ARGUMENT = /[/.]|::|^test/i;
/**
 * SMTP's `AUTH PLAIN` with its initial response (base64 of `authzid\0user\0password`), and the
 * answer to `AUTH LOGIN`'s password challenge (`334 UGFzc3dvcmQ6`, "Password:" in base64) on a
 * later line (curl's `> ` before it too) or a debug log's next `send:` (Python's smtplib prints
 * both). Groups: what stays, the base64 credential.
 */
const SMTP_AUTH = new RegExp(
  String.raw`(\bAUTH[ \t]+PLAIN[ \t]+|UGFzc3dvcmQ6(?:[^]{0,256}?(?:send:[ \t]*b?'|(?:\b|(?<=\\[nrt]))C:[ \t]*|(?:\\{1,8}r|\r)?(?:\\{1,8}n|\n)(?:>[ \t])?)))([A-Za-z0-9+/]{4,}={0,2})${LINE_END}`,
  "g",
);
/** A word's shape: its runs of capitals, small letters and digits (`Level0` and `Level1` are both `Aa9`). */
const wordShape = (word: string): string => word.replace(/[A-Z]+/g, "A").replace(/[a-z]+/g, "a").replace(/\d+/g, "9");
/** Where an Oracle command starts: the text's or a line's start, a shell's separator, a quote, a path's `/`, a list's `[` or `,`. */
const ORACLE_COMMAND_START = String.raw`(?:^|[\s;|&("'\`/\\[,]|\\[nrt])`;
/** RMAN's keywords before a logon. */
const RMAN_KEYWORD = "(?:target|auxiliary|catalog)";
/** A logon's user and its slash. */
const ORACLE_USER = String.raw`[A-Za-z][\w$#]{0,127}\/`;
/** Before a logon, what only a command has: `userid=`, a tool's prompt, RMAN's keywords, a flag (`sqlplus -s`, a list's `'-S'`). */
const ORACLE_COMMAND_BEFORE = new RegExp(String.raw`userid=|(?:SQL|RMAN|DGMGRL)>|(?:^|[\s"'=,])${RMAN_KEYWORD}(?:=|[ \t]+["']{0,2}${ORACLE_USER}$)|(?:^|[\s,"'])-[A-Za-z]+\\*["']?(?:,[ \t]*|[ \t]+)`, "i");
/** After a logon, what only a command has: `as sysdba`, a parameter (`directory=DP`), a script (` @run.sql`), an input (`< run.sql`) or `&&` (not `;`: `impdp tables/schemas; both work`). */
const ORACLE_COMMAND_AFTER = /^(?:[ \t]*(?:<|&&)|[ \t]+(?:as[ \t]+sys\w+|[A-Za-z_]\w*=|@[\w$./\\-]))/i;
/** exp or imp right before a logon (not after `userid=`). */
const EXP_IMP_LOGON = new RegExp(String.raw`${ORACLE_COMMAND_START}(?:exp|imp)(?:\.exe)?[ \t]+${ORACLE_USER}$`, "i");
/** `CONNECT` and RMAN's keyword right before a logon's user. */
const CONNECT_BEFORE = new RegExp(String.raw`conn(?:ect)?[ \t]+(?:${RMAN_KEYWORD}[ \t]+)?\S*$`, "i");
/** RMAN's keyword where a user goes (`rman target/catalog`). */
const RMAN_KEYWORD_AS_USER = new RegExp(String.raw`(?:^|[\s"'=])${RMAN_KEYWORD}\/$`, "i");
/** A quote before a logon's user (`'scott/…'`, `'userid="sys/…`): a command's argument, not prose. */
const ORACLE_QUOTED_USER = new RegExp(String.raw`["'](?:(?:userid|${RMAN_KEYWORD})=)?\\*["']?${ORACLE_USER}$`, "i");
/** The shapes of an Oracle command before a logon's user, each after ORACLE_COMMAND_START (see ORACLE_LOGON). */
const ORACLE_COMMANDS = [
  // A tool, then flags, then `userid=` or RMAN's keyword (`sqlplus -s`, `rman target`, `impdp userid=`); a quoted path's closing quote after its name too (`"C:\oracle\bin\sqlplus.exe" -s`).
  String.raw`${ORACLE_TOOL}(?:\.exe)?(?:\\*["'](?=[ \t]))?(?:[ \t]+-[A-Za-z]+){0,4}[ \t]+(?:(?:userid|${RMAN_KEYWORD})(?:=|[ \t]+))?`,
  // `exp` or `imp` right before it.
  String.raw`(?:exp|imp)(?:\.exe)?[ \t]+`,
  // A printed list of quoted items, Python's or Go's (`['sqlplus', '-S', …`, `["sqlplus" "-S" …`): flags, RMAN's keywords,
  // numbers and parameters as items before the logon's, whose quote follows.
  String.raw`${ORACLE_TOOL}(?:\.exe)?\\*["']\)?(?:(?:,[ \t]*|[ \t]+)b?\\*["'](?:-[A-Za-z]+|${RMAN_KEYWORD}|\d{1,3}|(?!userid=)[A-Za-z_]\w{0,31}=[^"'\\\r\n]{0,128})\\*["']){0,4}(?:,[ \t]*|[ \t]+)b?(?=\\*["'])`,
  // Java's printed list (`[sqlplus, -S, …]`).
  String.raw`${ORACLE_TOOL}(?:\.exe)?(?:,[ \t]*(?:-[A-Za-z]+|${RMAN_KEYWORD}|\d{1,3})){0,4},[ \t]*`,
  // RMAN's keyword later on rman's line (`rman nocatalog target …`).
  String.raw`${RMAN_KEYWORD}(?<=\brman(?:\.exe)?[ \t][^\r\n|;&]{0,512})(?:=|[ \t]+)`,
  // `userid=` after other parameters of a tool that takes it.
  String.raw`(?:exp|imp|impdp|expdp|sqlldr)(?:\.exe)?[ \t]+(?:(?!userid=)[^\s=]{1,64}=[^\s"';,|&]{1,256}[ \t]+){0,8}?userid=`,
];
/** `CONNECT` at a line's start, after a tool's prompt too, with RMAN's keyword (see ORACLE_LOGON). */
const CONNECT_LINE = String.raw`${LINE_START}[ \t]*(?:(?:SQL|RMAN|DGMGRL)>[ \t]*)?conn(?:ect)?[ \t]+(?:${RMAN_KEYWORD}[ \t]+)?`;
/**
 * An Oracle logon's password, `user/password[@connect]`, as its tools take one: `sqlplus`,
 * `impdp`, `expdp`, `sqlldr`, `rman`, `dgmgrl`, by a path too (`$ORACLE_HOME/bin/sqlplus`), or
 * as a printed list's items (`['sqlplus', '-S', 'scott/…@orcl']`, as Python's `CalledProcessError` prints one,
 * parameters and numbers as items too; Java's `[sqlplus, -S, …]`, Go's `["sqlplus" "-S" "…"]`;
 * flags before it, quoted too, a quoted path, `userid=`, nested quotes; RMAN's `target`, `auxiliary`
 * and `catalog`, each), `exp` and `imp` (oracleLogon's caller asks `@` or a parameter after them),
 * `exp`, `imp`, `impdp`, `expdp` and `sqlldr` with `userid=` after other parameters, and `CONNECT`
 * at a line's start (after SQL*Plus's, RMAN's or DGMGRL's prompt, `RMAN> connect target sys/…`, or
 * before a database, `CONNECT scott/…@orcl`). Which values are passwords: oracleLogon. Unquoted, a
 * shell's operator ends the password. Not `sqlplus / as sysdba` (no user), `sqlplus /nolog` or prose
 * (`Connect press/release events`).
 * Groups: what stays before the password, the password.
 */
const ORACLE_LOGON = new RegExp(
  String.raw`((?:${ORACLE_COMMAND_START}(?:${ORACLE_COMMANDS.join("|")})|${CONNECT_LINE})(?:\\*["'])?(?:(?:userid|${RMAN_KEYWORD})=)?(?:\\*["'])?${ORACLE_USER})([^\s@/"'\\]{1,256})(?=@|[\s"'\\]|$)`,
  "gi",
);
/**
 * Whether an Oracle logon's password is one: before `@` and a database any value; not a file
 * (`scripts/run.sql`); any other value where only a command can be (ORACLE_COMMAND_BEFORE,
 * ORACLE_COMMAND_AFTER, a quoted user: `sqlplus -s system/1234`, `SQL> conn system/oracle`,
 * `expdp system/oracle directory=DP`); otherwise, as `sqlplus help/usage` and `rman
 * backup/restore` are prose as often, one with a password's shape, four digits or more, or a
 * symbol (not a hyphen between letters, `server-side`), not ending a sentence or a clause (`.`,
 * `,`, `:`, `;`, left out of the password), and no word of prose after it; or capitals, small
 * letters and a digit, whatever follows.
 */
function oracleLogon(value: string, following: string, prefix: string, quoted: boolean): boolean {
  if (/^\\*["']?@/.test(following)) return true;
  if (/\.[a-z]{2,4}$/.test(value)) return false;
  // Quoted, the quote closes after it (`'help/usage pages'` is a sentence in quotes).
  if ((quoted && /^\\*["']/.test(following)) || ORACLE_COMMAND_BEFORE.test(prefix) || ORACLE_COMMAND_AFTER.test(following)) return true;
  // Capitals, small letters and a digit, not of the user's shape: a password whatever follows
  // (`Running sqlplus scott/… with script x.sql`; `rman Level0/Level1 backups` is prose).
  if (/[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value) && wordShape(value) !== wordShape(/([^\s/"'=]*)\/$/.exec(prefix)?.[1] ?? "")) return true;
  // Prose goes on after it (`rman level0/level1 backups`), or its sentence or clause ends (`RMAN backup/recovery, …`, `docs/chapter-12.`).
  if (/^(?:[ \t]+[a-z]{2,}(?![\w=])|[.,:;])/.test(following)) return false;
  const word = value.replace(/[!?)\]]+$/, "");
  return passwordShaped(word) || /^\d{4,}$/.test(word) || /[^\w-]|(?<![A-Za-z0-9])-|-(?![A-Za-z0-9])/.test(word);
}
/** A bare `--pass` option's value (`app --pass …`, `--pass=…`, a printed list's `'--pass', '…'`): with a password's shape only and no version or date, as x264's and ffmpeg's `--pass 2` are numbers. Groups: the option and its space or `=`, the quote, the quoted value, the bare value. */
const PASS_OPTION = /((?<![\w-])--pass(?:[ \t]+|\\{1,8}t|=|,[ \t]*|\\*["'],[ \t]*|\\*["'][ \t]+(?=\\*["'])))(?:(\\*["'])((?:(?!\2)[^\r\n"'\\]){1,256})\2|((?:[^\s"'\\|;&<>)\]`]|[)\]](?=[^\s"'\\|;&<>)\]`])){1,256})(?=[\s"'\\|;&<>)\]`]|$))/g;
/** An AWS access key's id, of a long-term key or a temporary one: the ids a secret access key goes with. */
const AWS_KEY_ID = String.raw`(?:AKIA|ASIA)[A-Z0-9]{16}\b`;
/** Between an access key's id and its secret: a few quotes, commas, colons, spaces or line breaks, a label too (`  Secret access key: `, JSON's `","s":"` at any depth, the next line's `s:`). */
const AWS_KEY_PAIR_SEPARATOR = String.raw`(?:[^A-Za-z0-9/+\\]|\\[^A-Za-z0-9/+]|\\[nrt]){1,16}(?:[A-Za-z][\w .-]{0,39}\\*["']?[ \t]*[:=][^A-Za-z0-9/+\r\n]{0,16})?`;
/** An AWS secret access key: 40 base64 characters, both cases and a digit or `/` or `+`; not a path of words (`usr/share/doc/…`). */
const AWS_SECRET_KEY = /^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9/+])(?!.*(?:^|\/)[a-z]{3,}\/[a-z]{3,}\/[a-z]{3,})[A-Za-z0-9/+]{40}$/;

/**
 * A password under a key of its short names, `pass` or `pw`, in an object or a mapping: quoted
 * (`auth: { user: 'bob', pass: '…' }` as nodemailer's transports take one, JSON's `"pass": "…"`,
 * PHP's `'pass' => '…'`, Go's `Pass: "…"`, Ruby's `:pass => '…'`, escaped quotes in JSON too; a
 * key unquoted only where a key starts, at a line's start or after `{`, `,`, `(`, `;`, `[`, `:` or
 * a quote, `'bob' pass: '…'`, so a test's `should pass: "abc123"` is none) or bare, as YAML writes it
 * at a line's start (after JSON's escaped line break too: YAML in a JSON string) or in a flow
 * mapping (`  pass: …`, `{user: bob, pass: …}`). Groups: what stays before the value, the key's
 * quote, the value's quote (escapes and all), the quoted value; YAML's prefix and bare value; a
 * flow mapping's prefix and bare value.
 */
const PASS_KEY = new RegExp(
  String.raw`((?:(?<![\w.$@/\\%-])(\\*["'\`])|(?=p)(?<=(?:^|[\r\n{,(;[:"'\`]|\\n)[ \t]{0,64}))(?:pass|pw)\2[ \t]*(?::|=>)[ \t]*)(\\*["'\`])((?:(?!\3)[^\r\n"]){1,256}?)\3(?!\w)|((?:^|(?<=[\r\n])|(?<=\\n))[ \t]*(?:-[ \t]+)?(?:pass|pw):[ \t]+)([^\s"'\`\\]{1,256})(?=[ \t]*(?:[\r\n#]|\\[nrt]|$))|((?=p)(?<=[{,][ \t]{0,64})(?:pass|pw):[ \t]*)([^\s"'\`\\,{}[\]]{1,256})(?=[ \t]*[,}])`,
  "gi",
);

/** Validation rules for a field (Laravel's `required|string|min:8`), or one rule or cast alone (`'hashed'`, `'encrypted:array'`, `'same:password_confirmation'`, `'min:8'`, `'in:a,b'`). */
const VALIDATION_RULES = /^(?:[\w-]+(?:\|[\w:,-]+)+|(?:required|confirmed|nullable|sometimes|string|hashed|encrypted|datetime|present|filled|email|numeric|integer|boolean|array|bail|current_password)(?::[\w,]+)?|(?:same|different|required_\w+|exists|unique|prohibited\w*):[\w.,]+|(?:min|max|size):\d+|(?:in|not_in):\w+(?:,\w+)+|regex:\/.*\/)$/;
/** A reference to a secret kept in a store, not the secret (`op://vault/…`, `ENC[…]`, `env:SMTP_PASS`). */
const STORE_REFERENCE = /^[a-z][\w+.-]*:\/\/|^ENC\[|^(?:env|vault|file|secret|secrets|ref|arn|op|keyring|ssm|awssm|sm):/i;
/** A reference to a password kept elsewhere, not a password: in a store, or a file by any path (`/run/secrets/pw`). */
const PASS_REFERENCE = new RegExp(String.raw`${STORE_REFERENCE.source}|^\.{0,2}\/`, "i");
/** A user's key in the same object or mapping before a `pass` key: then the value is a password whatever its shape. */
const USER_KEY_BEFORE = /\b(?:user(?:name)?|login|account)\\*["'`]?[ \t]*(?::|=>)[ \t]*\\*["'`]?[^\r\n{}]{0,128}$/i;

function passKeyReplacement(before: string, quote: string | undefined, quoted: string | undefined, bare: string | undefined, textBefore: () => string): string | undefined {
  const value = quoted ?? bare ?? "";
  // Not words with spaces (`"score >= 60"`): a passphrase under a `pass` key is left.
  if (/\b(?:PASS|PW)\b/.test(before) || value.length < 3 || /\s/.test(value) || value.includes("[REDACTED:")) return undefined;
  // Digits alone in quotes may be a PIN (`"pass": "12345678"`); bare, or with a point or `%`, a tally (`'pass': 90`, `'98.57%'`).
  // A template's expression anywhere in it is code (`` `picking:${mode}` ``).
  const pin = bare === undefined && /^\d{5,}$/.test(value);
  if (NO_PASSWORD_VALUE.test(value) || namesNoPassword(value) || QUOTED_PLACEHOLDER.test(value) || /\$\{|\{\{/.test(value) || PASS_RESULT.test(value) || (TALLY.test(value) && !pin) || PROSE_TEXT.test(value)) return undefined;
  // Not a reference, a validation rule, a path or a property (`op://vault/…`, `ENC[…]`, `env:…`, `required|min:6`, `process.env.SMTP_PASS`), a hash's name or a version.
  if (PASS_REFERENCE.test(value) || VALIDATION_RULES.test(value) || PROPERTY_PATH.test(value) || HASH_NAME.test(value) || NOT_A_TOKEN.test(value)) return undefined;
  // Not a typed array's name (`Uint8Array`), a colour (`"#00ff00"`), a pass's number (`"pass-1"`), or code's `boolean;` bare.
  if (/^(?:Uint|Int|Float|BigUint|BigInt)\d+(?:Clamped)?Array$/.test(value) || /^#[0-9a-f]{3,8}$|^pass[-_]?\d{1,2}$/i.test(value) || (bare !== undefined && /[;,]$/.test(value))) return undefined;
  // `pass` also names a compiler's, a filter's or a renderer's pass (`'bandpass'`, `'sroa'`, `collision-filter`): a password needs a
  // credential's shape, six characters with a digit, in quotes a symbol (`'p@ss!'`), or a user's key before it in the same object
  // (`{ user: 'bob', pass: 'letmein' }`).
  const symbol = quoted !== undefined && /[^\p{L}\p{N}_.-]/u.test(value);
  if (!(pin || symbol || passwordShaped(value) || USER_KEY_BEFORE.test(textBefore()))) return undefined;
  // A bare value is YAML's, under a key in lower case (a test log's `PASS: test12` is a result).
  if (bare !== undefined && !/(?:pass|pw):[ \t]*$/.test(before)) return undefined;
  return `${before}${quote ?? ""}${marker("api_token")}${quote ?? ""}`;
}

/** Whether SERVICE_TOKEN is worth trying: one of its prefixes somewhere. */
const SERVICE_TOKEN_PREFIX = /gh[pousr]_|github_pat_|xox|xapp-|k_live_|k_test_|whsec_|sk-|npm_|gl[a-z]{1,5}-|hf_|api_org_|shp|dapi|_v1_|hv[sbr]\.|pypi-|dckr_|PMA[KT]-|lin_|ntn_|secret_|gls?[ac]_|NR[AIJ]|ATATT3|SG\.|GOCSPX-|dp\.|bkua_|ops_|AGE-|1\/\/0|Q~/;
/**
 * The secret part of a webhook's URL, which is the credential: Slack's incoming webhooks
 * (`https://hooks.slack.com/services/T…/B…/…`, workflows and triggers), Discord's
 * (`discord.com/api/webhooks/<id>/…`, `/api/v10/webhooks/…`), a Telegram bot's token in its API's
 * URL (`api.telegram.org/bot<id>:…/`), Microsoft Teams' incoming webhooks
 * (`….webhook.office.com/webhookb2/…`, and Office 365's older `outlook.office.com/webhook/…`),
 * Zapier's catch hooks (`hooks.zapier.com/hooks/catch/<id>/…`) and Mattermost's incoming webhooks
 * (`/hooks/` and 26 letters and digits, a digit and a letter past `f` among them: not a hex id). Groups: what stays before the secret.
 */
const WEBHOOK_URL_SECRET = /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9_/-]{20,}|((?:discord(?:app)?\.com|discord\.gg)\/api\/(?:v\d{1,2}\/)?webhooks\/\d{5,25}\/)[A-Za-z0-9_-]{30,}|(\/bot)\d{5,15}:[A-Za-z0-9_-]{30,}|(\.webhook\.office\.com\/webhookb2\/|outlook\.office(?:365)?\.com\/webhook\/)[A-Za-z0-9@/_-]{40,}|(hooks\.zapier\.com\/hooks\/catch\/\d{1,12}\/)[A-Za-z0-9]{4,32}|(\/hooks\/)(?=[a-z]{0,25}\d)(?=[0-9a-f]{0,25}[g-z])[a-z0-9]{26}(?![A-Za-z0-9])/gi;

/**
 * A cookie's `name=value`, the value quoted or bare, as RFC 6265 writes one (no space, `;`, `,`,
 * quote or backslash in it); or an item already redacted whole, or a flag (Set-Cookie's `HttpOnly`).
 */
const COOKIE_PAIR = String.raw`(?:[^=;,\s"'\\\]]{1,256}=(?:${MARKER}|"[^"\s;,\\]*"|[^;,\s"'\\\]]*)|${MARKER}|[A-Za-z-]{1,32}(?=[ \t]*(?:[;,]|$)))`;
/** Between cookies: `;`, spaces before it and empty pairs too (`a=1 ;; b=2`), or the comma that folds Set-Cookie lines into one. */
const COOKIE_SEPARATOR = String.raw`[ \t]*[;,][ \t;,]*`;
/**
 * An HTTP `Cookie` or `Set-Cookie` header and its cookies: a header line (after JSON's escaped
 * line break too, or glued to the line before, `HTTP/1.1Cookie:`, as a URL's parser leaves it),
 * a JSON or dictionary field (escaped quotes too, a list of values), CGI's `HTTP_COOKIE`, a
 * PowerShell hashtable's `"Cookie"="…"`, a pair of name and value (`Set("Cookie", "…")`, HAR's
 * `"name": "Cookie", "value": …`), curl's `--cookie` and `-b`. Groups: the header's name and
 * separator, its cookies, `;`-separated pairs up to anything else (a space, a quote, `]`: Go's
 * `map[Cookie:[…] User-Agent:[…]]`; Set-Cookie's first pair, then its attributes).
 */
const COOKIE_HEADER = new RegExp(
  String.raw`((?:(?:\b|(?<=\d|_|\\[nrt]))(?:set-)?cookie(?:\\*["']?[ \t]*[:=]|${QUOTED_NAME_THEN_VALUE})[ \t]*(?:\[[ \t]*)?(?:\\*["'][ \t]*)?|--cookie(?:=|[ \t]+)\\*["']?|\bcurl\b[^\r\n|;&]{0,256}?[ \t]-b[ \t]+\\*["']?))((?:;[ \t]*)*${COOKIE_PAIR}(?:${COOKIE_SEPARATOR}${COOKIE_PAIR}){0,1023})`,
  "gi",
);
/** Cookie attributes, whose values are no secret (`Path=/`, `Expires=Wed, 21 Oct 2026 07:28:00 GMT`). */
const COOKIE_ATTRIBUTE = /^(?:expires|max-age|domain|path|samesite|priority|partitioned|secure|httponly|comment)$/i;
/** A cookie's value long enough to be a session's or a token (16 characters or more) is the credential it is: each such value goes, names and short values stay (`theme=dark`). */
function cookieValues(cookies: string): string {
  return cookies.replace(/(^|[;,][ \t]*)([^=;,\s]{1,256})=("?)([^;,\s]*?)\3(?=[ \t]*[;,]|$)/g, (pair: string, before: string, name: string, quote: string, cookie: string) =>
    COOKIE_ATTRIBUTE.test(name) || cookie.length < 16 || cookie.startsWith("[REDACTED:") ? pair : `${before}${name}=${quote}${marker("api_token")}${quote}`,
  );
}

/** A closing tag's `</`, or `<\/` as some JSON encoders write it (at any depth of JSON inside JSON). */
const CLOSING_TAG = String.raw`<\\{0,3}/`;
/** An element's text: in CDATA, or up to the next tag. */
const XML_TEXT = String.raw`<!\[CDATA\[(?:[^\]]|\](?!\]>)){1,4096}\]\]>|[^<]{1,4096}`;
/** Between elements: spaces and line breaks, JSON's escaped ones too, at any depth of JSON inside JSON. */
const XML_SPACE = String.raw`(?:\s|\\{1,7}[nrt]){0,256}`;
/**
 * An element that holds the value another names: `<value>`, a property list's `<string>`,
 * web.xml's `<param-value>` and `<env-entry-value>`, attributes too (`<Value Profile="(Default)">`,
 * `<value type="java.lang.String">`), XML-RPC's `<value><string>` too.
 */
const VALUE_ELEMENT = String.raw`<(?:value|string|param-value|env-entry-value)(?:\s[^<>]{0,256})?>(?:${XML_SPACE}<string>)?`;
/** A value element's closing tag. */
const VALUE_CLOSE = String.raw`${CLOSING_TAG}(?:value|string|param-value|env-entry-value)\s*>`;
/**
 * An element's text that is a secret: the element's name says so (`<password>…</password>`,
 * Maven's `<server>`, `<ClientSecret>`, `<db:password>`; its `<Value>` child's too, Windows'
 * unattend.xml `<AdministratorPassword><Value>…`), or the name element before it does (Hadoop's
 * `<name>…password</name><value>…</value>`, a `<description>` between too; a property list's
 * `<key>Password</key><string>…</string>`; web.xml's `<param-name>` and `<env-entry-name>`).
 * Groups: what comes before the text, the element's name, the text; then the same for a name
 * element (its tag's name, not the text's). The closing tag must follow.
 */
const XML_SECRET_ELEMENT = new RegExp(
  String.raw`(<(${DOTTED_SECRET_NAME})(?:\s[^<>]{0,1024})?(?<!/)>(?:${XML_SPACE}${VALUE_ELEMENT})?)(${XML_TEXT})(?=${CLOSING_TAG}\2\s*>|${VALUE_CLOSE})|(<(name|key|param-name|env-entry-name)>${XML_SPACE}${DOTTED_SECRET_NAME}${XML_SPACE}${CLOSING_TAG}\5\s*>${XML_SPACE}(?:<description>[^<]{0,1024}${CLOSING_TAG}description\s*>${XML_SPACE})?${VALUE_ELEMENT})(${XML_TEXT})(?=${VALUE_CLOSE})`,
  "gi",
);
/** HTML's elements of text, whose `name` is an anchor's or a form's, not the name of their text (`<a name="reset-password">Reset password</a>`). */
const HTML_TEXT_ELEMENTS = /^(?:a|abbr|b|button|code|dd|div|dt|em|form|h[1-6]|i|label|legend|li|option|p|pre|section|small|span|strong|td|th|title|u)$/i;
/**
 * A value whose element's `key`, `name` or `type` attribute (namespaced too, Android's
 * `android:name`) says secret: in its `value` or `content` attribute (.NET's `<add
 * key="ClientSecret" value="…"/>`, NuGet's `ClearTextPassword`, Spring's `<property
 * name="password" value="…"/>`, `<meta name="csrf-token" content="…">`, `<input type="password"
 * value="…">`, `<meta-data android:name="…ApiKey" android:value="…"/>`), or, after `key` or `name`,
 * as its text or its value element's (`<entry key="db.password">…</entry>`, Jetty's `<Set
 * name="password">`, .NET settings' `<setting name="ClientSecret"><value>…</value></setting>`,
 * Android's `<string name="api_key">`; xmlNamedText says which). Quotes may be escaped (XML in
 * JSON). Groups: the element's name, what comes before the value, the attribute's name, the
 * name's quote, the value's quote, the value.
 */
const XML_NAMED_VALUE = new RegExp(
  String.raw`(?=<([\w.:-]{1,64})\s)(<\1[^<>]{0,1024}?(?<=\s)(?:[\w-]{1,32}:)?(key|name|type)\s*=\s*(\\*["'])${DOTTED_SECRET_NAME}\4(?:[^<>]{0,1024}?(?<=\s)(?:[\w-]{1,32}:)?(?:value|content)\s*=\s*(\\*["'])|[^<>]{0,1024}(?<!/)>(?:${XML_SPACE}${VALUE_ELEMENT})?))((?<=["'])(?:(?!\5)[^<>\r\n]){1,1024}(?=\5)|(?<=>)(?:${XML_TEXT})(?=${CLOSING_TAG}\1\s*>|${VALUE_CLOSE}))`,
  "gi",
);
/**
 * XML_NAMED_VALUE's attributes the other way round: the `value` or `content` attribute before the
 * `key`, `name` or `type` attribute that says secret (`<add value="…" key="Password"/>`, `<input
 * value="…" type="password">`). Groups: the element's name, what comes before the value, its
 * quote, the value, the name's quote.
 */
const XML_VALUE_BEFORE_NAME = new RegExp(
  String.raw`(?=<([\w.:-]{1,64})\s)(<\1[^<>]{0,1024}?(?<=\s)(?:[\w-]{1,32}:)?(?:value|content)\s*=\s*(\\*["']))((?:(?!\3)[^<>\r\n]){1,1024})(?=\3[^<>]{0,1024}?(?<=\s)(?:[\w-]{1,32}:)?(?:key|name|type)\s*=\s*(\\*["'])${DOTTED_SECRET_NAME}\5)`,
  "gi",
);
/**
 * Whether an element's text named by its attribute may be a secret: not HTML's text
 * (HTML_TEXT_ELEMENTS), nor after `type` (`<Alert type="token">…`), nor a component's in JSX
 * (`<Menu.Item key="token">Access token</Menu.Item>`, `<Tab key="secret">`: a dotted name, or a
 * capitalised one after `key`).
 */
function xmlNamedText(element: string, attribute: string): boolean {
  return !HTML_TEXT_ELEMENTS.test(element) && !/^type$/i.test(attribute) && !element.includes(".") && !(/^key$/i.test(attribute) && /^[A-Z]/.test(element));
}
/**
 * No secret: a path (Maven's `<privateKey>` names the key's file, `${user.home}/.ssh/id_dsa`), a
 * property (`${gpg.passphrase}`), Ant's `@token@`, a switch or a number (`<RequirePassword>true`,
 * `<ValidateToken>1`).
 */
const XML_NOT_A_SECRET = /^(?:(?:\$\{[\w.]{1,64}\}|~|\.{1,2})?\/[\w./-]*|[A-Za-z]:\\[\w.\\ -]*|\$\{[\w.:-]{1,128}\}|@[\w.-]+@|true|false|yes|no|on|off|null|none|\d{1,5})$/i;
/** Words of prose, two or more, no digits (`This password is too short`, `Forgot password?`): a message, as a resource file's text named after a secret is. */
const PROSE_TEXT = /^[\p{L}\p{M}'’,;:()-]+(?:\s+[\p{L}\p{M}'’,;:()-]+)+[.?!…]?$/u;
/** A leading run of spaces and JSON's escaped line breaks and tabs (at any depth: a run of backslashes before `n`, `r`, `t`). */
const LEADING_XML_SPACE = /^(?:\s|\\+[nrt])*/;
/** Where a text's trailing spaces and JSON's escaped line breaks and tabs start. */
function trailingXmlSpace(text: string, from: number): number {
  let end = text.length;
  for (;;) {
    if (end > from && /\s/.test(text[end - 1] ?? "")) {
      end--;
      continue;
    }
    if (end - 1 <= from || !/[nrt]/.test(text[end - 1] ?? "")) return end;
    let run = 0;
    while (end - 2 - run >= from && text[end - 2 - run] === "\\") run++;
    if (run === 0) return end;
    end -= run + 1;
  }
}
/**
 * What comes before an element's text, then its text with the part that is a secret redacted
 * (without CDATA's brackets and the spaces around); undefined for spaces or markers only, a placeholder or a word for one (`${gpg.passphrase}`,
 * `<password>password</password>`), XML_NOT_A_SECRET, and prose where `proseIsNone`.
 */
function xmlReplacement(before: string, text: string, proseIsNone = false): string | undefined {
  const cdata = /^<!\[CDATA\[/i.test(text) ? 9 : 0;
  const inner = text.slice(cdata, cdata > 0 ? -3 : undefined);
  const start = LEADING_XML_SPACE.exec(inner)?.[0].length ?? 0;
  const end = trailingXmlSpace(inner, start);
  const secret = inner.slice(start, end);
  if (secret.replace(MARKERS, "").trim() === "" || namesNoPassword(secret) || XML_NOT_A_SECRET.test(secret) || (proseIsNone && PROSE_TEXT.test(secret))) return undefined;
  return `${before}${text.slice(0, cdata)}${inner.slice(0, start)}${marker("api_token")}${inner.slice(end)}${cdata > 0 ? "]]>" : ""}`;
}

/** A tool's option, after a space or as a list item's start (`'-P', …`, `"-p", …`: Python's and JSON's lists). */
const toolOption = (name: string): string => String.raw`(?:[ \t]|(?<=[ \t,[(]["']))${name}`;
/** From a printed list's item to the next: its closing quote, a comma and the next item's opening quote. */
const NEXT_LIST_ITEM = String.raw`["'],[ \t]*["']`;
/** From an argument to the next: spaces, or NEXT_LIST_ITEM. */
const NEXT_ARGUMENT = String.raw`(?:[ \t]+|${NEXT_LIST_ITEM})`;
/**
 * A `\r` or `\n` that is a Windows path's separator, not JSON's escaped line break: inside an
 * argument that starts with a drive or a UNC path (`C:\reports`, `D:\backups\nightly\db.sql`,
 * `\\srv\share\nightly.sql`).
 */
const WINDOWS_PATH_R_OR_N = String.raw`(?<=(?:^|[\s"'=,])(?:[A-Za-z]:|\\\\[\w.$-]{1,64})(?:\\[\w.$()-]{1,64}){0,16}\\)`;
/**
 * A command line's arguments before an option: not past the command's end (a line break, escaped
 * too, as in JSON, though not a Windows path's `\r` or `\n`; a pipe; `;&<>`), nor past the end of
 * the string it is in (a quote before `,:}]`, as between JSON's array items and fields); quoted
 * arguments whole, escaped quotes and line continuations too.
 */
const LINE_ARGUMENTS = String.raw`(?:[^\r\n|;&<>"'\\]|\\\r?\n|\\(?:(?![nr])|${WINDOWS_PATH_R_OR_N}(?=[nr]))[^\r\n]|"(?![,:}\]])[^"\r\n]*"|'(?![,:}\]])[^'\r\n]*'){0,256}?`;
/** A printed list's items before an option's: quoted, or bare (a variable in code), each with its comma; then the option's opening quote. */
const LIST_ARGUMENTS = String.raw`["'](?:,[ \t]*(?:"[^"\r\n]*"|'[^'\r\n]*'|[^\s,"'[\]]+)){0,32}?,[ \t]*["']`;
/**
 * A tool's name as a command, then its arguments up to the option: on a command line (after the
 * closing quote of a quoted path too), or as a printed list's first item. A plain name also in
 * capitals with `.EXE`, as Windows writes it (`SQLCMD.EXE`; not `SQLCMD` alone, prose's spelling).
 */
const toolCommand = (names: string): string =>
  String.raw`(?:${names}(?:\.[Ee][Xx][Ee])?${names.includes("\\") ? "" : `|${names.toUpperCase()}\\.EXE`})(?:["']?(?=\s)${LINE_ARGUMENTS}|(?=["'],)${LIST_ARGUMENTS})`;
/** How the names of the tools TOOL_SECRET_OPTION knows start. */
const TOOL_NAME_STARTS = ["sqlcmd", "osql", "bcp", "mongo", "docker", "podman", "nerdctl", "buildah", "skopeo", "oras", "crane", "helm", "az", "redis-cli", "ldap", "keytool", "openssl", "curl", "smbclient", "rpcclient", "smbcacls", "smbget", "rabbitmqctl", "convertto-securestring", "zip", "unzip", "7z", "7za", "7zr", "7zz", "rar", "unrar", "Rar", "UnRAR", "WinRAR", "rdesktop", "xfreerdp", "wfreerdp", "sdl-freerdp", "psexec", "PsExec", "paexec", "twine", "ssh-keygen", "lftp", "gh", "aws", "rclone", "npm", "yarn", "pnpm", "mc", "cqlsh", "rabbitmqadmin", "isql", "winrs"];
/** HTTP clients' names (HTTPie's `http` and `https`, xh, hey, ApacheBench's `ab`) as HTTP_CLIENT_AUTH looks for them: before a space or as a list's item, as URLs hold `http` everywhere. */
const HTTP_CLIENT_NAMES = ["https?", "xhs?", "hey", "ab"];
const HTTP_CLIENT_NAME = String.raw`(?:${HTTP_CLIENT_NAMES.join("|")})(?:\.exe)?(?:[ \t]|["'],)`;
/** Looked for before anything else, in lower case or capitals (PowerShell's cmdlet in any case): where no tool's name starts, nothing else is tried. */
const TOOL_NAMES = String.raw`(?=${[...TOOL_NAME_STARTS, ...TOOL_NAME_STARTS.map((name) => name.toUpperCase()), SECURE_STRING].join("|")})`;
/** The user before curl's password (an email's marker included), and before Samba's. */
const CURL_USER = String.raw`(?:${MARKER}|[^\s:"'@\\[\]])*:`;
const SAMBA_USER = String.raw`[^\s%"']+%`;
/** HTTPie's and xh's `-A bearer` (`--auth-type=bearer`, glued, or as a list's items) anywhere on the command line: then `--auth` takes a token, not `user:password`. */
const AUTH_TYPE_BEARER = /(?:^|[\s"',])(?:-A|--auth-type)(?:[ \t]*|=|["'],[ \t]*["'])\\*["']?bearer\b/;
/** The AWS CLI's global options before or after `configure` (`--profile dev`, `--no-cli-pager`), up to eight. */
const AWS_GLOBAL_OPTIONS = String.raw`(?:[ \t]+--[\w-]{1,32}(?:[ \t]+(?!-)[^\s"']{1,128})?){0,8}`;
/** The user before lftp's password (`-u user,…`). */
const LFTP_USER = String.raw`[^\s,"']+,`;
/** An argument before the one that matters: quoted, or up to a space. */
const ARGUMENT = String.raw`(?:"[^"\r\n]{0,256}"|'[^'\r\n]{0,256}'|[^\s"'|;&<>]{1,256})`;
/** After an opening quote (and `pass:`, `user:`, `user%` inside it): a value read to the next quote, spaces included. */
const AFTER_OPENING_QUOTE = String.raw`(?<=[ \t,[(=]\\*["'](?:pass:|${CURL_USER}|${SAMBA_USER}|${LFTP_USER})?)`;
/** Its `-AsPlainText` switch, as PowerShell takes it abbreviated too (`-AsPlain`, `-asp`). */
const AS_PLAIN_TEXT = String.raw`-${anyCase("AsP")}[A-Za-z]{0,8}\b`;
/** Its `-String` parameter, abbreviated too (`-Str`), with its value after a space or a colon (`-String:"…"`). */
const STRING_PARAMETER = String.raw`-${anyCase("St")}[A-Za-z]{0,4}(?::[ \t]*|[ \t]+)`;
/** Its switches that may come before the text (`-AsPlainText`, `-Force`, `-AsPlainText:$true`). */
const SECURE_STRING_SWITCH = String.raw`(?:${AS_PLAIN_TEXT}|-${anyCase("Force")})(?::[ \t]?\$${anyCase("true")})?`;
/**
 * `-AsPlainText` further on in the same statement (quoted text and a backtick's line continuation
 * included): without it the cmdlet takes an encrypted string, not a password, and its name is
 * likely prose (`ConvertTo-SecureString cmdlet failed`).
 */
const AS_PLAIN_TEXT_AHEAD = String.raw`(?=(?:"[^"\r\n]{0,256}"|'[^'\r\n]{0,256}'|\`\r?\n|[^\r\n|;"']){0,256}?[ \t]${AS_PLAIN_TEXT})`;
/**
 * A password piped into it as text (`"…" | ConvertTo-SecureString -AsPlainText -Force`), the
 * whole expression before the pipe (at a statement's start, after `=`, `(`, `;`, `,` or `{`;
 * not a command's argument, `Get-Content "pw.txt" | …`); the pipe may end a line. The quote,
 * then the text.
 */
const PIPED_SECURE_STRING = new RegExp(
  String.raw`(?<=(?:^|[\r\n(=;,{]|\\[nrt]|"(?=\\))[ \t]*)(\\*["'])((?:(?!\1)[^\r\n]){1,512})\1(?=[ \t]*\|(?:[ \t]|\r?\n|\\[nr]){0,64}${SECURE_STRING}${AS_PLAIN_TEXT_AHEAD})`,
  "g",
);
/**
 * A password given to .NET's `NetworkCredential` as text after the user, in C# or PowerShell
 * (`new NetworkCredential("bob", "…")`, `[System.Net.NetworkCredential]::new('bob', '…')`,
 * `New-Object System.Net.NetworkCredential -ArgumentList 'bob', '…'`): the call up to the password's quote, the user's quote, the quote, the password.
 */
const NETWORK_CREDENTIAL = new RegExp(
  String.raw`(NetworkCredential(?:\]::new)?(?:[ \t]*\(|[ \t]+-Arg(?:s|umentList)[ \t]+(?:@?\()?|[ \t]+(?=[@$]{0,2}\\*["']))\s{0,64}(?:[@$]{0,2}(\\*["'])(?:(?!\2)[^\r\n]){0,256}\2|[\w.$\[\]"'?!:]{1,64}(?:\(\))?)\s{0,64},\s{0,64}[@$]{0,2})(\\*["'])((?:(?!\3)[^\r\n]){1,512})\3`,
  "g",
);
/**
 * A character of a password in quotes in code: no double quote, escaped or not (inside JSON, a
 * quote of another depth may end the string the code is in), and a run of backslashes only with
 * the character it escapes, so the closing quote's own backslashes stay whole.
 */
const QUOTED_PASSWORD_CHARACTER = String.raw`(?:[^"\\\r\n]|\\+[^"\\\r\n])`;
/** Space between a call's arguments, JSON's escaped line breaks and tabs too (at any depth). */
const CALL_SPACE = String.raw`(?:\s|\\{1,8}[nrt]){0,64}`;
/** A string literal's prefix: Python's bytes, raw and Unicode strings (`b'…'`, `r'…'`, `rb'…'`, `u'…'`). */
const STRING_PREFIX = "(?:[rR][bB]?|[bB][rR]?|[uU])?";
/**
 * An argument of a call before its password: a string in quotes (escaped ones too, JSON's, closing
 * at its own level; a method call or two on it, Rust's `"bob".to_string()`), or a name or
 * expression (`user`, `self.user`, `cfg["user"]`, `None`, `getUser()`); with its comma.
 */
const CALL_ARGUMENT = String.raw`${CALL_SPACE}(?:(?:${STRING_PREFIX}(?:${["", String.raw`\\`, String.raw`\\{3}`, String.raw`\\{7}`, String.raw`\\{15}`, String.raw`\\{31}`].map((run) => String.raw`(?<!\\)${run}"[^"\\\r\n]{0,256}${run}"`).join("|")})|${STRING_PREFIX}\\*'[^'\\\r\n]{0,256}\\*')(?:\.[A-Za-z_]\w{0,32}\(\)){0,2}|[\w.$]{1,64}(?:\[[^\]\r\n]{0,64}\]|\(\))?)${CALL_SPACE},`;
/**
 * Calls that take a user and then a password, by the password's place among their arguments: 2nd
 * in HTTP clients' basic and digest authentication (Python requests' `HTTPBasicAuth` and `auth=(…,
 * …)` tuples, aiohttp's and httpx's `BasicAuth`, Go's `SetBasicAuth` and `url.UserPassword`, Java's
 * `setBasicAuth`, `PasswordAuthentication` and `UsernamePasswordCredentials`, Spring's
 * `basicAuthentication`, Laravel's `withBasicAuth`, reqwest's and Faraday's `basic_auth`, lettre's
 * `Credentials::new`,
 * superagent's `.auth`), in `login` (ftplib, smtplib, imaplib, test clients) and in Azure Key
 * Vault's `new KeyVaultSecret(name, …)` (.NET, Java); 3rd in JDBC's
 * `getConnection`, ftplib's `FTP`, the Python MySQL drivers' `connect`, PHP's `PDO` and `mysqli`
 * (`new PDO(…)`, a trace's `PDO->__construct(…)`), Python keyring's `set_password` and node-keytar's
 * `setPassword` (a service, an account, the password; any `set_password` or `setPassword` of three
 * arguments, as its backends and wrappers are called); 4th in urllib's
 * `add_password`. Azure's key credentials: the key 1st in `AzureKeyCredential` and
 * `AzureSASCredential`, 2nd after the account's name in `AzureNamedKeyCredential` and
 * `StorageSharedKeyCredential`. (Azure's `UsernamePasswordCredential` takes the password 2nd, 3rd
 * or 4th by language, so it is not read.)
 */
const CREDENTIAL_CALLS: readonly (readonly [names: string, position: number])[] = [
  [String.raw`(?:(?<![\w$])|(?<=\\{1,8}[nrt]))(?:(?:HTTP(?:Basic|Digest|Proxy)Auth|(?:Basic|Digest)Auth(?:entication)?|[Ss]et_?[Bb]asic_?[Aa]uth|with(?:Basic|Digest)Auth|basic_?[Aa]uth(?:entication)?|UsernamePasswordCredentials|PasswordAuthentication|UserPassword|login|(?<=\.)auth|KeyVaultSecret|Credentials::new)[ \t]*\(|auth\\*["']?[ \t]*(?:=>|[:=])[ \t]*[([])`, 2],
  [String.raw`(?:(?<![\w$])|(?<=\\{1,8}[nrt]))(?:getConnection|FTP(?:_TLS)?|(?:pymysql|MySQLdb|mysql\.connector|mariadb|pymssql)\.connect|(?:PDO|mysqli)(?:->__construct)?|mysqli_connect|(?:keyring\.)?set_password|setPassword)[ \t]*\(`, 3],
  [String.raw`(?:(?<![\w$])|(?<=\\{1,8}[nrt]))add_password[ \t]*\(`, 4],
  [String.raw`(?<![\w$])(?:AzureKeyCredential|AzureSASCredential)[ \t]*\(`, 1],
  [String.raw`(?<![\w$])(?:AzureNamedKeyCredential|StorageSharedKeyCredential)[ \t]*\(`, 2],
];
/**
 * A password written as a string in a call that CREDENTIAL_CALLS names, at its place (reqwest's
 * `Some("…")` too), up to its closing quote before the next argument, the call's end, a method on
 * it (`"…".toCharArray()`), a space, JSON's end of string or the text's end (an error message cut
 * short).
 * Groups: the call up to the password's quote, the quote, the password.
 */
const CREDENTIAL_CALL = new RegExp(
  String.raw`((?:${CREDENTIAL_CALLS.map(([names, position]) => `${names}(?:${CALL_ARGUMENT}){${position - 1}}`).join("|")})${CALL_SPACE}(?:Some\()?[@$]?${STRING_PREFIX})(\\*["'\`])((?:(?!\2)${QUOTED_PASSWORD_CHARACTER}){1,512})\2(?=[\s,)\]}.;+:"]|\\{1,8}["nrt]|$)`,
  "g",
);
/**
 * Whether CREDENTIAL_CALL is worth trying: a comma, then a quoted argument as CALL_ARGUMENT and the
 * password's own start read one (space as CALL_SPACE, with no bound here; `[@$]`, STRING_PREFIX, a
 * quote) or `Some(`. A backslash is space only in an escaped line break or tab, so a run of them
 * costs one pass.
 */
const CREDENTIAL_CALL_COMMA = new RegExp(String.raw`,(?:\s|\\{1,8}[nrt])*(?:[@$]?${STRING_PREFIX}\\*["'\`]|Some\()`);
/**
 * A `user:password` string where basic authentication is built from one: PHP's
 * `CURLOPT_USERPWD`, a base64 encoder's argument (`btoa`, Python's `b64encode`, Java's
 * `encodeToString`, .NET's `GetBytes`, Go's `EncodeToString([]byte(…))`, Ruby's
 * `strict_encode64`, Node's `Buffer.from`), Node's `auth` option and npm's `_auth`. Groups: what
 * comes before, the quote, the user with its colon, the password.
 */
const USER_PASSWORD_STRING = new RegExp(
  String.raw`((?:CURLOPT_(?:PROXY)?USERPWD[ \t]*(?:,|=>)[ \t]*|(?<![\w$.-])_?auth\\*["']?[ \t]*[:=][ \t]*|(?<![\w$])(?:btoa|(?:standard_|urlsafe_)?b64encode|encodebytes|[Ee]ncodeToString|(?:strict_|urlsafe_)?encode64|ToBase64String|GetBytes|Buffer\.from)\([ \t]*(?:\[\]byte\(|(?:System\.Text\.)?Encoding\.\w+\.GetBytes\()?${STRING_PREFIX}))(\\*["'\`])((?:${MARKER}|(?!\[REDACTED:)[^:"'\`\s\\]){1,128}:)((?:(?!\2)${QUOTED_PASSWORD_CHARACTER}){1,256})\2`,
  "g",
);
/** CREDENTIAL_CALL's list under an `auth` key. */
const AUTH_LIST = /auth\\*["']?[ \t]*(?:=>|[:=])[ \t]*\[/;
/** Where USER_PASSWORD_STRING's name alone says basic authentication (PHP's option, npm's `_auth`): any password there; elsewhere (a base64 encoder takes cursors and `key:value` too) one with a password's shape. */
const BASIC_AUTH_BUILDER = /CURLOPT|_auth/;
/** What comes before a colon in a string that is no `user:password`: a data URL's scheme, a hash's or an encoding's name (HASH_NAME), a cursor, a scope, a key's or a type's name. */
const NOT_A_USER = /^(?:data|scopes?|cursor|arrayconnection|key|type|kind|id|version|urn|tag|ref|env|file|https?|mailto|tel)$/i;
/**
 * The calls CREDENTIAL_CALL reads whose names say less: `login`, `.auth`, a bare `BasicAuth` or
 * `DigestAuth`. And what no such call's password is: a document's word, a hash's or an encoding's
 * name, an authentication scheme's or a strategy's, a capitalised word (a label, `"Submit"`), a
 * CSS selector (`'#password'`).
 */
const GENERIC_CREDENTIAL_CALL = /^(?:login|auth|(?:Basic|Digest)Auth(?:entication)?)[ \t]*\(/;
const CALL_WORD = /^(?:required|optional|missing|default|empty|invalid|none|null|anonymous|basic|bearer|digest|ntlm|negotiate|kerberos|jwt|session|cookie|oauth2?|oidc|saml|ldap|hmac|api[_-]?key|token|ascii|utf-?8|latin-?1)$/;
/**
 * Whether a password CREDENTIAL_CALL or USER_PASSWORD_STRING found is none: a placeholder or the
 * word for one, a marker, an interpolated string (`$"{pw}"`, `${pass}`, `#{pass}`), a format's
 * expression, a mask, words of prose or text with spaces at an end.
 */
function callPasswordIsNone(prefix: string, text: string): boolean {
  return placeholderOrMarked(text) || QUOTED_PLACEHOLDER.test(text) || PROSE_TEXT.test(text) || /^\s|\s$/.test(text) || /\$\{|#\{/.test(text) || (prefix.endsWith("$") && text.includes("{"));
}
/** A base64 `user:password` under an `auth` key (Docker's `config.json`, npm's `_auth=`): quoted, or bare after `=`. Groups: the key, the quote, the value. */
const ENCODED_AUTH = /((?<![\w$.-])_?auth\\*["']?[ \t]*[:=][ \t]*)(\\*["']|(?<==[ \t]*))([A-Za-z0-9+/]{8,}={0,2})(?=\2)(?![A-Za-z0-9+/=])/g;
/**
 * The value of a tool's option that TOOL_SECRET_OPTION or HTTP_CLIENT_AUTH found: after an
 * opening quote (and a user in it) to the closing one (all of its backslashes, so a quote of JSON
 * inside JSON stays whole), quoted, or bare; not a placeholder, a variable, code's concatenation
 * or a template's `{…}`.
 */
const TOOL_OPTION_VALUE = String.raw`(?!${NOT_AN_OPTION_VALUE}|${NOT_A_DASH_P_VALUE}|\\*["']\s*[+,;)\]]|\{[^}\s]*\})(${AFTER_OPENING_QUOTE}(?:[^"'\\\r\n]|\\[^"'\r\n]){1,512}(?<!\\)(?=\\*["'])|(?<!["'])${OPTION_DOUBLE_QUOTED}|(?<!["'])${OPTION_APOSTROPHES}|${ESCAPED_QUOTED_VALUE}|\\'(?:[^'\\\r\n]|\\[^'\r\n]){1,512}\\'|${COMMAND_OPTION_BARE})`;
/**
 * Command lines that give a password or key to a tool's own option, as a separate argument, up to
 * the value: SQL Server's `sqlcmd`, `osql` and `bcp` (`-P`, glued too); MongoDB's shell and tools
 * (`-p`); `login` of docker, podman, nerdctl, buildah, skopeo, oras, crane, `helm registry` and
 * `az` (`-p`); `redis-cli -a`; the OpenLDAP clients' `-w`; `keytool`'s `-storepass`, `-keypass`
 * (`-src…`, `-dest…`) and `-new`; `openssl`'s `-passin`, `-passout`, `-pass`, `-password` with
 * `pass:`; curl's `-u`, `--user`, `-U`, `--proxy-user` after `user:`; Samba's clients' `-U`,
 * `--user` after `user%`; `rabbitmqctl add_user`, `change_password`, `authenticate_user` after the
 * user; PowerShell's `ConvertTo-SecureString` text, its first argument or `-String`'s, after its
 * switches (`ConvertTo-SecureString "…" -AsPlainText -Force`, `-AsPlainText -Force -String '…'`);
 * archivers' (`zip`/`unzip -P`, 7-Zip's and RAR's `-p`/`-hp`, glued), `openssl -k`, `rdesktop -p`,
 * `twine -p`, FreeRDP's `/p:`, Cassandra's `cqlsh -p`, `rabbitmqadmin -p`, Sybase's `isql -P`, `winrs -p:`, PsExec's `-p`, `ssh-keygen -N`/`-P`, `lftp -u` after `user,`,
 * `az keyvault secret set --value`, `gh secret set --body`/`-b`; a secret's name then its value
 * after `aws configure set`, `rclone config create|update`, `npm|yarn|pnpm config set`; MinIO's
 * secret key, `mc alias set`'s fourth argument. Case-sensitive, and only after these tools' names: elsewhere these options are ports,
 * users or anything else. The value as an option's: quoted or bare; in a printed list of
 * arguments too (`['sqlcmd', …, '-P', '…']`: Python's `CalledProcessError`, JSON arrays).
 */
const TOOL_SECRET_OPTION = new RegExp(
  String.raw`${TOOL_NAMES}${COMMAND_START}(${[
    String.raw`${toolCommand("(?:sqlcmd|osql|bcp|isql)")}${toolOption("-P")}(?:${NEXT_LIST_ITEM}|(?<!["']-P)[ \t]*|(?<=["']-P)(?!["']))`,
    String.raw`${toolCommand("(?:mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop|mongofiles)")}${toolOption("-p")}${NEXT_ARGUMENT}`,
    String.raw`${toolCommand(String.raw`(?:docker|podman|nerdctl|buildah|skopeo|oras|helm${NEXT_ARGUMENT}registry|crane${NEXT_ARGUMENT}auth|az(?:${NEXT_ARGUMENT}acr)?)(?:\.exe|\.cmd)?${NEXT_ARGUMENT}login`)}${toolOption("-p")}${NEXT_ARGUMENT}`,
    String.raw`${toolCommand("redis-cli")}${toolOption("(?:-a|--pass)")}${NEXT_ARGUMENT}`,
    String.raw`${toolCommand("ldap(?:search|modify|add|delete|passwd|whoami|compare|modrdn|exop)")}${toolOption("-w")}(?:${NEXT_ARGUMENT}|(?=[^\s"'-]))`,
    String.raw`${toolCommand("ldappasswd")}${toolOption("-[as]")}${NEXT_ARGUMENT}`,
    String.raw`${toolCommand("keytool")}${toolOption("-(?:(?:src|dest)?(?:store|key)pass|new)")}${NEXT_ARGUMENT}`,
    String.raw`${toolCommand("openssl")}${toolOption("-(?:pass(?:in|out)?|password)")}(?:${NEXT_LIST_ITEM}|[ \t]+(?:\\*["'])?)pass:(?!\\*["'])`,
    String.raw`${toolCommand("curl")}${toolOption(String.raw`(?:(?:-u|--user|-U|--proxy-user)(?:${NEXT_LIST_ITEM}|(?:[ \t]+|=)(?:\\*["'])?)|-[uU](?=[^\s"'-]))`)}${CURL_USER}(?!\\*["'])`,
    String.raw`${toolCommand("(?:smbclient|rpcclient|smbcacls|smbget)")}${toolOption("(?:-U|--user)")}(?:${NEXT_LIST_ITEM}|[ \t]*(?:\\*["'])?|=(?:\\*["'])?)${SAMBA_USER}(?!\\*["'])`,
    String.raw`${toolCommand("(?:zip|unzip)")}${toolOption("-[A-Za-z]*P")}(?:${NEXT_ARGUMENT}|(?=[^\s"'-]))`,
    String.raw`${toolCommand("(?:7z|7za|7zr|7zz|rar|unrar|Rar|UnRAR|WinRAR)")}${toolOption("-h?p")}(?:(?<!["']-h?p)(?=[^\s-])|(?=[^\s"'-]))`,
    String.raw`${toolCommand("openssl")}${toolOption("-k")}${NEXT_ARGUMENT}`,
    String.raw`${toolCommand("rdesktop")}${toolOption("-p")}(?:${NEXT_ARGUMENT}|(?=[^\s"'-]))`,
    String.raw`${toolCommand("(?:twine|cqlsh|rabbitmqadmin)")}${toolOption("-p")}${NEXT_ARGUMENT}`,
    String.raw`${toolCommand("(?:xfreerdp3?|wfreerdp|sdl-freerdp3?|winrs)")}${toolOption("(?:/p:|-p:|-password:)")}`,
    String.raw`${toolCommand("(?:[Pp]s[Ee]xec(?:64)?|paexec)")}${toolOption("-p")}${NEXT_ARGUMENT}`,
    String.raw`${toolCommand("ssh-keygen")}${toolOption("-[NP]")}(?:${NEXT_ARGUMENT}|(?=[^\s"'-]))`,
    String.raw`${toolCommand("lftp")}${toolOption("-u")}(?:${NEXT_LIST_ITEM}|[ \t]+(?:\\*["'])?)${LFTP_USER}(?!\\*["'])`,
    String.raw`${toolCommand(String.raw`az(?:\.exe|\.cmd)?${NEXT_ARGUMENT}keyvault${NEXT_ARGUMENT}secret${NEXT_ARGUMENT}set`)}${toolOption("--value")}(?:${NEXT_ARGUMENT}|=)`,
    String.raw`${toolCommand(String.raw`gh(?:\.exe)?${NEXT_ARGUMENT}secret${NEXT_ARGUMENT}set`)}${toolOption("(?:-b|--body)")}(?:${NEXT_ARGUMENT}|=|(?<=-b)(?=[^\s-]))`,
    String.raw`${toolCommand(String.raw`(?:aws(?:\.exe)?${AWS_GLOBAL_OPTIONS}${NEXT_ARGUMENT}configure${AWS_GLOBAL_OPTIONS}${NEXT_ARGUMENT}set|rclone(?:\.exe)?${NEXT_ARGUMENT}config${NEXT_ARGUMENT}(?:create|update)|(?:npm|yarn|pnpm)(?:\.cmd|\.exe)?${NEXT_ARGUMENT}(?:config${NEXT_ARGUMENT})?set)`)}(?:[ \t]|(?<=["'],[ \t]*["']))(?:\\*["'])?(?:[^\s"'=]{0,128}[/:.])?(?:[A-Za-z0-9_-]{0,32}${anyCase(SECRET_WORDS)}|pass|_auth)(?:\\*["'])?${NEXT_ARGUMENT}`,
    String.raw`${toolCommand(String.raw`mc(?:\.exe)?${NEXT_ARGUMENT}(?:alias${NEXT_ARGUMENT}set|config${NEXT_ARGUMENT}host${NEXT_ARGUMENT}add)`)}(?:[ \t]|(?<=["'],[ \t]*["']))(?!-)${ARGUMENT}${NEXT_ARGUMENT}https?:\/\/[^\s"']{1,256}${NEXT_ARGUMENT}(?!-)${ARGUMENT}${NEXT_ARGUMENT}`,
    String.raw`rabbitmqctl(?:\.bat)?${NEXT_ARGUMENT}(?:add_user|change_password|authenticate_user)${NEXT_ARGUMENT}(?:\\*["'])?[^\s"'\\,]+(?:\\*["'])?${NEXT_ARGUMENT}`,
    String.raw`${SECURE_STRING}${AS_PLAIN_TEXT_AHEAD}(?:[ \t]+${SECURE_STRING_SWITCH})*[ \t]+(?:${STRING_PARAMETER})?(?:\$?\([ \t]*(?=\\*["']))?(?![(@])`,
  ].join("|")})${TOOL_OPTION_VALUE}`,
  "g",
);
/**
 * HTTP clients' credentials on their command lines: the password after `user:` in HTTPie's (`http`,
 * `https`), xh's and hey's `-a`/`--auth`, and ApacheBench's `-A`/`-P`; HTTPie's and xh's `--auth`
 * without a user (a token with `-A bearer` on the line, which the replacement checks; a user that
 * prompts for the password otherwise), xh's `--bearer`. The command, the option and a user; then
 * the value (TOOL_OPTION_VALUE).
 */
const HTTP_CLIENT_AUTH = new RegExp(
  String.raw`(?=${HTTP_CLIENT_NAME})${COMMAND_START}(${[
    String.raw`${toolCommand("(?:https?|xhs?|hey)")}(?:${toolOption(String.raw`(?:(?:-a|--auth)(?:${NEXT_LIST_ITEM}|(?:[ \t]+|=)(?:\\*["'])?)|-a(?=[^\s"'-]))`)}${CURL_USER}(?!\\*["'])|${toolOption("(?:-a|--auth)")}(?:${NEXT_ARGUMENT}|=))`,
    String.raw`${toolCommand("xhs?")}${toolOption("--bearer")}(?:${NEXT_ARGUMENT}|=)`,
    String.raw`${toolCommand("ab")}${toolOption("-[AP]")}(?:${NEXT_LIST_ITEM}|[ \t]+(?:\\*["'])?)${CURL_USER}(?!\\*["'])`,
  ].join("|")})${TOOL_OPTION_VALUE}`,
  "g",
);
/** Whether HTTP_CLIENT_AUTH is worth trying: a client's name as a command, and an option it may be. */
const HTTP_CLIENT_ANYWHERE = new RegExp(String.raw`\b${HTTP_CLIENT_NAME}`, "i");
/**
 * What reads a password from its standard input: `sudo -S`, `chpasswd` (`user:password`),
 * `passwd --stdin`, a registry's `login --password-stdin` (docker, podman, helm registry …),
 * `gh auth login --with-token`.
 */
const STDIN_PASSWORD_READER = String.raw`(?:sudo\b(?:[^\r\n|;&<]|\\\r?\n){0,128}?[ \t](?:-[A-Za-z]*S[A-Za-z]*|--stdin)\b|(?:sudo[ \t]+)?(?:[\w.-]*\/)*(?:chpasswd\b|passwd\b(?:[^\r\n|;&<]|\\\r?\n){0,128}--stdin\b)|[\w./=:-]{1,64}(?:(?:[ \t]|\\\r?\n)+[\w./=:-]{1,64}){0,5}[ \t]+login\b(?:[^\r\n|;&<]|\\\r?\n){0,256}--password-stdin\b|gh[ \t]+auth[ \t]+login\b(?:[^\r\n|;&<]|\\\r?\n){0,128}--with-token\b)`;
/** What PIPED_PASSWORD takes: text in quotes (escaped ones too, JSON's), or a word (not a variable, an option, a backslash's escape or a parenthesis). */
const PIPED_TEXT = String.raw`(\\*["'])(?:(?!\2)[^\r\n]){1,512}\2|(?!-)[^\s"'|;&<>\`$\\()]{1,512}`;
/** The pipe between: spaces and a line's continuation around it. */
const PIPE = String.raw`[ \t]*(?:\\\r?\n[ \t]*)?\|[ \t]*(?:\\\r?\n[ \t]*)?`;
/**
 * A password given to STDIN_PASSWORD_READER as text: echoed or printed into its pipe (`echo
 * '…' | docker login -u bob --password-stdin`, `echo "bob:…" | chpasswd`), or as a here-string
 * (`chpasswd <<< "bob:…"`, `gh auth login --with-token <<< …`); printf's `%s` format too, a
 * line's continuation around the pipe. Groups: what comes before the text, a quote (in the
 * lookahead), the text (PIPED_TEXT), its quote.
 */
const PIPED_PASSWORD = new RegExp(
  String.raw`(?=echo|printf|sudo|chpasswd|passwd|gh|[\w./=:-]{1,64}[ \t])${COMMAND_START}((?:echo(?:[ \t]+-[neE]{1,3})*|printf(?:[ \t]+--)?(?:[ \t]+(?:'%s(?:\\n)?'|"%s(?:\\n)?"|%s(?:\\n)?))?)[ \t]+(?=(?:${PIPED_TEXT})\)?${PIPE}${STDIN_PASSWORD_READER})|${STDIN_PASSWORD_READER}(?:[^\r\n|;&<]|\\\r?\n){0,256}?<<<[ \t]*)(${PIPED_TEXT.replaceAll("\\2", "\\4")})`,
  "g",
);

/**
 * Spaces and line breaks (JSON's escaped ones too, at any depth), and a netrc file's comments
 * (`#` to the line's end).
 */
const LINE_SPACE = String.raw`(?:\s|\\{1,7}[nrt]|#[^\r\n\\]*(?=[\r\n]|\\{1,7}[nrt]))+`;
/**
 * A positional password: in quotes (escaped ones too: JSON), or a word that is no option (`/add`,
 * `-x`), prompt (`*`), expression (`{…}`, `$…`, a backtick's command), shell syntax or string
 * concatenation (`' + pw + '`), a redirection (`2>nul`) or a help text's bracket, up to JSON's
 * escaped line break. Groups: its quote.
 */
const POSITIONAL_VALUE = String.raw`(\\*["'])(?![\s+])(?:(?!\3)[^\r\n]){1,256}\3|(?![/*\-{$\`&|<>()^+[]|\d*[<>])(?:[^\s"'\\\`<>|&;]|\\[^\s"'nrt\\\`]){1,256}`;
/** After a positional password: the end, a line's (escaped too), an option (`/add`, `-B`), a shell's operator, a string's end, or a netrc file's next keyword. */
const POSITIONAL_END = String.raw`(?=[ \t]*(?:$|[\r\n"'&|<>;)\/]|\\+[nrt"])|[ \t]+(?:-[A-Za-z-]|(?:machine|default|login|account|port|macdef)\b))`;
/** A UNC path (`\\server\share`), written with up to four backslashes a separator (JSON, JSON inside JSON), or quoted. */
const UNC_PATH = String.raw`(?:\\*"\\{2,8}[^"\\]{1,64}(?:\\{1,4}[^"\\]{1,64}){0,16}\\*"|\\{2,8}[^\s"'\\]{1,64}(?:\\{1,4}[^\s"'\\]{1,64}){0,16})`;
/** `net` commands' switches between their arguments (`/persistent:no`, `/savecred`, `/add`, `/user:bob`). */
const NET_SWITCHES = String.raw`(?:[ \t]+\/[A-Za-z]+(?::[^\s"]*)?)*`;
/** One of htpasswd's options (`-b`, `-bc`, `-C 10`, `-bBC12`, `-r 5000`, `-2`, `--`). */
const HTPASSWD_OPTION = String.raw`(?:-[A-Za-z0-9]*[Cr][ \t]*\d{1,6}|-[A-Za-z0-9]{1,8}|--)`;
/** Whether htpasswd's options, ahead, include a flag (`b`: the password is an argument; `n`: no file before the user). */
const htpasswdFlag = (flag: string): string => String.raw`(?:[ \t]+${HTPASSWD_OPTION}){0,7}?[ \t]+-[A-Za-z0-9]*${flag}`;
/** An argument: quoted (escaped quotes too), or a word that is no option. */
const POSITIONAL_ARGUMENT = String.raw`(?:\\*"[^"\r\n]{1,256}?"|'[^'\r\n]{1,256}'|(?!-)[^\s"']{1,256})`;
/**
 * Passwords given by position, where no option names them: a netrc file's `password` after its
 * `machine` (or `default`, at a line's start) and `login` (over lines and comments too:
 * `machine h\n  login bob\n  password …`; not prose's `machine learning-based password
 * strength`); Windows' `net use` after the share (`net use Z: \\srv\share … /user:bob`) or after
 * `/user:…` or `/u:…`, `net user bob … /add`, switches between; `htpasswd -b` after the file and
 * the user (`-nb`: after the user). The password is last, or an option, a shell's operator or a
 * line's end follows it (POSITIONAL_END). Groups: what comes before the password, the password,
 * its quote.
 */
const POSITIONAL_PASSWORD = new RegExp(
  String.raw`(?=machine|default|[Nn][Ee][Tt]|htpasswd)((?<=(?:^|[\r\n"']|\\[nrt])[ \t]*)(?:machine[ \t]+[^\s\\]{1,256}|default)(?:${LINE_SPACE}(?:login|account|port)[ \t]+[^\s\\]{1,256}){0,2}${LINE_SPACE}login[ \t]+[^\s\\]{1,256}(?:${LINE_SPACE}(?:account|port)[ \t]+[^\s\\]{1,256}){0,2}${LINE_SPACE}password(?:[ \t]|\\t)+|${COMMAND_START}(?:[Nn][Ee][Tt](?:\.[Ee][Xx][Ee])?[ \t]+(?:${anyCase("use")}(?:[ \t]+(?:[A-Za-z]:|\*))?[ \t]+${UNC_PATH}${NET_SWITCHES}[ \t]+|${anyCase("use")}\b[^\r\n|;&]{0,256}?[ \t]\/(?:${anyCase("user")}|[Uu]):[^\s"']{1,128}${NET_SWITCHES}[ \t]+|${anyCase("user")}${NET_SWITCHES}[ \t]+(?:\\*"[^"\r\n]{1,64}?\\*"|[^\s"\/]{1,64})${NET_SWITCHES}[ \t]+)|htpasswd(?:\.exe)?(?=${htpasswdFlag("b")})(?:(?=${htpasswdFlag("n")})(?:[ \t]+${HTPASSWD_OPTION}){1,8}|(?!${htpasswdFlag("n")})(?:[ \t]+${HTPASSWD_OPTION}){1,8}[ \t]+${POSITIONAL_ARGUMENT})[ \t]+${POSITIONAL_ARGUMENT}[ \t]+))(${POSITIONAL_VALUE})${POSITIONAL_END}`,
  "g",
);
/** The start of a call, cut at or in its quoted argument (`os.getenv(`, `ENV.fetch('GITHUB_TOKEN`, `os.getenv(\"DB_PASSWORD` in JSON). */
const CALL_START = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\((\\*["'])?([^"'\s\\]*)$/;
/** A call up to its `(` and the spaces after it, Rust's paths and `new` too (`String::from(`, `new String(`, `Some(\n` in JSON). */
const CALL_OPENING = /^(?:new[ \t]+)?[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*\((?:[ \t]|\\{1,8}[nrt])*$/;
/** A call's first argument already taken (WRAPPED_SECRET_LITERAL): its marker in quotes, from the call's `(`. */
const TAKEN_ARGUMENT = /^(?:\s|\\{1,8}[nrt])*\\*["']\[REDACTED:[a-z_]+\]\\*["']/;
/**
 * A quoted literal right after a marker and closing an argument (`[REDACTED:api_token]"…")`): what
 * SECRET_FIELD leaves of a value wrapped in a call. Only after a marker that replaced a bare value
 * (no quote before it: a quoted one's closing quote is the next text's opening, `\"[…]\"Next: \"`),
 * and only a literal without spaces or a leading comma (not prose's `'s … '`, nor the text between
 * two quoted arguments). Groups: the marker.
 */
const SECRET_FIELD_CALL_LITERAL = /(?<!["'`])(\[REDACTED:(?:api_token|connection_string)\])(\\*["'`])[^"'`\r\n\\\s,][^"'`\r\n\\\s]{0,255}\2(?=\s*[,)])/g;
/** Space between a call's arguments, JSON's escaped line breaks and tabs too. */
const SETTER_SPACE = String.raw`(?:\s|\\{1,8}[nrt])`;
/**
 * A call's quoted literal argument, the second and third groups of the patterns that use it (its
 * quote, its text), and what may follow it before the argument ends: a method call or two
 * (`"…".to_string()`) and space.
 */
const LITERAL_ARGUMENT = String.raw`(\\*["'])([^"'\`\r\n\\]{1,256})\2`;
/** A literal in a concatenation: its prefix (Python's `f`, C#'s `$`), its quote (escaped too) and text. */
const CONCATENATED_PART = String.raw`(?:${LITERAL_PREFIX_WORD})?\\*["'][^"'\`\r\n\\]{1,256}\\*["']`;
/**
 * The literals concatenated to a secret's taken value (`password = "…" + "…"`, Java's `String
 * password = "…" + "…" + "…";`): the marker standing for the whole value after `=`, `:`, `(` or `,`,
 * in quotes of its own or none (not a marker inside a longer string, `"…&password=[…]" + "&useSSL"`),
 * then up to 64 literals joined by `+`, whatever follows them. Each is taken as a secret's literal
 * (concatenatedLiterals). Groups: what comes before the literals, the marker's quote, the literals
 * and the `+` between them.
 */
const CONCATENATED_LITERAL = new RegExp(
  String.raw`((?=\\*["']?\[REDACTED:)(?<=[=:(,>][ \t]{0,8}(?:\\*["'])?)(?:(\\*["'])\[REDACTED:(?:api_token|connection_string)\]\2|\[REDACTED:(?:api_token|connection_string)\](?!\\*["']))[ \t]*\+[ \t]*)(${CONCATENATED_PART}(?:[ \t]*\+[ \t]*${CONCATENATED_PART}){0,63})`,
  "g",
);
/** One literal of CONCATENATED_LITERAL's: its quote and text, as LITERAL_ARGUMENT's groups. */
const CONCATENATED_ONE = new RegExp(LITERAL_ARGUMENT.replace("\\2", "\\1"), "g");
/**
 * CONCATENATED_LITERAL's literals, each secret one taken; not prose's, a space at an end (`" is
 * invalid"`), a path's or a query's next part (`+ "/build"`, `+ "&useSSL=false"`, `+ ".pem"`), nor
 * punctuation and an f-string's placeholders alone (`pp.alphanums + "-./_:*"`, `+ f"{suffix}"`).
 */
const concatenatedLiterals = (literals: string): string =>
  literals.replace(CONCATENATED_ONE, (literal: string, quote: string, text: string, offset: number) => {
    // An f-string's or C#'s interpolated literal (`f"…"`, `$"…"`): its placeholders are no value.
    const own = /(?:^|[^\w$@])(?:[fF][rR]?|[rR][fF]|\$@?|@\$)$/.test(literals.slice(Math.max(0, offset - 3), offset)) ? text.replace(/\{[^{}]*\}/g, "") : text;
    return /^\s|\s$|^[&;?/.]/.test(own) || !/[A-Za-z0-9]/.test(own) ? literal : (secretLiteralReplacement(["", quote, text]) ?? literal);
  });
const AFTER_LITERAL_ARGUMENT = String.raw`(?:\.[A-Za-z_]\w*\(\)){0,2}${SETTER_SPACE}{0,32}`;
/**
 * A call that makes a value of its literal, which a secret field's value may be wrapped in: Rust's
 * `Some`, `Ok`, `String::from`, `Secret::new`, `SecretString::from`, `Box::new`, `Cow::Borrowed`,
 * `Zeroizing::new`; Go's `aws.String`, `pulumi.String`, `to.Ptr`, `[]byte`; Java's `new String`,
 * `String.valueOf`; JavaScript's `String`, `Buffer.from`; Python's `str`, Pydantic's `SecretStr`;
 * Azure's `AzureKeyCredential` and `AzureSASCredential`.
 * `&` before it, spaces and line breaks after its `(` (JSON's escaped ones too, as rustfmt writes a long call). Not a call that reads or looks up what it is given
 * (`os.getenv`, `t("i18n.key")`, `Config::get`): its argument is a name.
 */
const WRAPPER_CALL = String.raw`&?(?:new[ \t]+)?(?:Some|Ok|String|str|SecretStr|SecretBytes|Secret\w{0,16}|Zeroizing|\w{0,32}(?:Key|SAS)Credential|[A-Za-z_]\w{0,32}\.(?:String|StringPtr|Ptr|ToPtr|valueOf|from)|(?:String|OsString|Cow|Box|Arc|Rc|Zeroizing|Secret\w{0,16})::(?:from|new|Borrowed|Owned)|\[\]byte)\(${SETTER_SPACE}{0,32}`;
/**
 * A type a declaration gives a secret's name, as code writes one: generics with lifetimes and
 * commas (`Cow<'static, str>`), paths (`pulumi.StringInput`, `typing.Optional[str]`), unions and
 * nullable marks (`string | null`, `String!`); no quote, `=`, `(` or line break, at most 80
 * characters. Read lazily, so the first ` =` ends it.
 */
const TYPE_EXPRESSION = String.raw`&?[A-Za-z_'\[][\w:<>&'\[\].,|?!* \t]{0,80}?`;
/**
 * Where a declaration's literal ends: the statement, an argument list, a method call, a comment,
 * the line, or the quote, backtick or tag around the code (`"const token: T = \"…\""` in JSON,
 * Markdown's `` `…` ``, `</code>`), a concatenation or TypeScript's `as const`.
 */
const DECLARED_LITERAL_END = String.raw`(?=[ \t]*(?:[;,)\]}"'\`<+]|\.[A-Za-z_]\w*\(|\/\/|#|\\[nr]|\r|\n|as[ \t]|$))`;
/**
 * A secret field's literal wrapped in one to three WRAPPER_CALLs, their only argument
 * (`Password: aws.String("…")`, Rust's `password: Some("…".to_string())`, `Secret::new("…".into())`,
 * `new String("…")`, `SecretStr("…")`), a method call or two on it, a trailing comma too; after `:`, `=`, Go's `:=` or a
 * type: a string type as DECLARED_TYPE reads one (`Option<&'static str>`, `str | None`) or any
 * TYPE_EXPRESSION (`let password: Box<str> = …`, `Cow<'static, str> = Cow::Borrowed(…)`). Not the first of more arguments,
 * which may name what follows (`new AzureNamedKeyCredential("name", "…")`): SECRET_FIELD_CALL_LITERAL
 * reads those after a long call's name.
 * Groups: what comes before the literal, its quote, its text.
 */
const WRAPPED_SECRET_LITERAL = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${SECRET_NAME}\\*["']?[ \t]*(?::?=|:(?:[ \t]*(?:${DECLARED_TYPE}|${TYPE_EXPRESSION})[ \t]*=)?)[ \t]*(?:${WRAPPER_CALL}){1,3})${LITERAL_ARGUMENT}(?=${AFTER_LITERAL_ARGUMENT}(?:,${SETTER_SPACE}{0,32})?\))`,
  "gi",
);
/** A quoted text inside a list, escapes read as pairs. */
const LIST_QUOTED = String.raw`"(?:[^"\\\r\n]|\\.){0,512}"|'(?:[^'\\\r\n]|\\.){0,512}'`;
/**
 * A list under a secret's name or its plural, from its `[` to its first `]` outside quotes and
 * outside a nested list or a subscript one level down (`[["…"], "…"]`, `[os.environ["A"], "…"]`,
 * read whole when it closes within 1,024 characters with its quotes paired): any text, comments
 * and items of any kind (`null`, numbers, `b"…"`, a stray apostrophe) between the quoted ones,
 * escapes read as pairs (JSON inside JSON's `\"…\"`), at most 4,096 characters; a list cut off
 * ends where the text or those characters do. Never failing once the `[` is found, it is read
 * once: each `[` after a secret's name costs at most the list it opens, and each `[` inside it at
 * most the characters to the next bracket.
 */
const LIST_BODY = String.raw`(?:\[(?:[^[\]"'\\]|\\[^]|${LIST_QUOTED}){0,1024}\]|[^\]"'\\]|\\[^]|${LIST_QUOTED}|["']){0,4096}\]?`;
/**
 * A list's item in JSON's escaped quotes `depth` levels down (`\"…\"` one level, `\\\"…\\\"` two):
 * its text read in runs of backslashes as that level writes them, so a run of backslashes before a
 * quote that is not the item's own (a backslash at the item's end, a deeper quote) is part of it,
 * each run read once. Groups: the opening quote, the text.
 */
function escapedListItem(depth: number): string {
  const quote = 2 ** depth - 1;
  const backslash = 2 ** (depth + 1);
  return String.raw`(?<!\\)(\\{${quote}}")((?:[^"\\\r\n]|\\{${backslash}}|(?!\\{${quote}}")\\{1,${backslash - 1}}[^\\\r\n]){0,512})\\{${quote}}"`;
}
/**
 * A quoted item of such a list: in double quotes or apostrophes with escapes inside, or in JSON's
 * escaped quotes one to three levels down. Groups: the opening quote and the text, for each form.
 */
const LIST_ITEM_PARTS = new RegExp(String.raw`(")((?:[^"\\\r\n]|\\.){0,512})"|(')((?:[^'\\\r\n]|\\.){0,512})'|${[1, 2, 3].map(escapedListItem).join("|")}`, "g");
/** A word of a list's bare item: no quote, bracket, comma or space. */
const BARE_WORD = String.raw`(?:[^\s,"'\`()[\]{}<>\\;*]|\*(?!\/)){1,512}`;
/**
 * A list's parts as secretListItems reads them: a quoted item (LIST_ITEM_PARTS' groups 1 to 10); a
 * comment, to its line's end, a quote or JSON's escaped line break (so a commented-out item is still
 * read, and JSON inside JSON keeps its next lines); or a bare item of up to 17 words alone between
 * brackets, commas, a comment's end and line breaks (JSON's escaped ones and tabs too), its leading
 * space read with it (YAML's flow sequence `[FakePw1, a pass phrase]`, `secret=[…];host=db`; groups
 * 11 and 12: the space, the item), read whole or not at all.
 */
const LIST_PARTS = new RegExp(
  String.raw`${LIST_ITEM_PARTS.source}|(?:(?<![^\s,[])|(?<=\\[nrt]))(?:#|\/\/)(?:[^\r\n"'\\]|\\(?![nrt"\\])|(?<=[^\s#/*])')*|\/\*(?:[^*"']|\*(?!\/))*(?:\*\/)?|(?:^|(?<=[,\n[]|\\n|\*\/))((?:[ \t]|\\t)*)(?!#|\/[/*])(${BARE_WORD}(?:[ \t]{1,8}(?!#|\/[/*])${BARE_WORD}){0,16})(?=(?:[ \t]|\\t)*(?:[,\r\n]|\\[nr]|\]|$)|[ \t]+(?:#|\/[/*]))`,
  "g",
);
/**
 * What a list's bare item is when it is code, a type or a note, not a value: a spread or a symbol
 * (`*OTHER`, `...keys`, `:primary`, `$key`, `@key`), a dotted name (`settings.API_KEY`), a type
 * (Swift's `[String]`, GraphQL's `[String!]` and `[PasswordEntry!]`, a class's `PasswordEntry`,
 * `ApiKeyDTO`, a union with a type word, `string|null`), a function's name in lower camel case (a
 * validator's `[isRequired, isStrong]`), a regular expression's ranges (`A-Za-z0-9`), a
 * comprehension, a note of lower-case words with a note's word (`[see below]`, `[defaults to none]`)
 * or of a length (`[min 8 characters]`), Go's printed pointer (`[0xc00012e000]`). A password of these shapes travels.
 */
const BARE_ITEM_CODE = new RegExp(
  [
    String.raw`^(?:[*&:$@]|\.\.\.)`,
    String.raw`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$`,
    String.raw`^(?:string|String|Object|object|number|Number|Integer|unknown|SecretStr|SecureString|Character|Buffer|Uint8Array|Optional|Required|Nullable|undefined)[?!]?$`,
    String.raw`^(?:String|Int|Float|Boolean|ID|[A-Z][a-z]+(?:[A-Z]+[a-z]*)+)[!?]$`,
    String.raw`^[A-Z][a-z]+(?:[A-Z]+[a-z]*)+$`,
    String.raw`^[a-z]+(?:[A-Z][a-z]*)+$`,
    String.raw`^(?:\w+\|)*(?:null|undefined|None|nil|string|number|int|bool|boolean|str|bytes|float|object)(?:\|\w+)*$`,
    String.raw`^(?:[A-Z]-[A-Z]|[a-z]-[a-z]|[0-9]-[0-9])+$`,
    String.raw`\sfor\s.*\sin\s`,
    String.raw`^(?=[a-z ]*\b(?:see|below|above|docs?|optional|required|defaults?|none|not|unset|empty|todo|tbd|example|same|as|here)\b)[a-z]+(?:[ \t]+[a-z]+)+$`,
    String.raw`(?:^|\s)\d+\s(?:characters?|chars?|digits?)(?:\s+long)?$`,
    String.raw`^0x[0-9a-f]{6,16}$`,
  ].join("|"),
);
/** A mask or a placeholder as a list's bare item, in any case (`[hidden]`, `[NOT SET]`). */
const BARE_ITEM_MASK = /^(?:hidden|masked|redacted|filtered|removed|omitted|sanitized|sensitive|unset|not set|provided|empty)$/i;
/**
 * Whether a list's bare item is a secret: as secretItem, not a marker, not code (BARE_ITEM_CODE),
 * not a secret's name without digits (`PRIMARY_KEY`; `Admin123Pwd` is a value), under a list of
 * secrets (`name` ending in `secrets`) not a name in lower case with separators (Docker Compose's
 * and Kubernetes' `secrets: [app-secrets, tls-cert]`, Go's `Secrets:[db-creds tls-cert]`) and, in a list
 * assigned as code assigns one (`assigned`), neither a name of letters alone (`[dynamicAnchor,
 * dynamicRef]`), a secret's name numbered (`[secret1, API_KEY_2]`) nor words with spaces between.
 */
const bareSecretItem = (text: string, assigned: boolean, name: string): boolean =>
  !/^REDACTED:[a-z_]+$/.test(text) &&
  !(/secrets$/i.test(name) && /^[a-z]+(?:[-_.][a-z]+)+(?:[ \t]+[a-z]+(?:[-_.][a-z]+)+)*$/.test(text)) &&
  secretItem(text) &&
  !BARE_ITEM_CODE.test(text) &&
  !BARE_ITEM_MASK.test(text) &&
  !(!/\d/.test(text) && SECRET_NAME_WHOLE.test(text)) &&
  !(assigned && (/\s/.test(text) || /^[A-Za-z_$]+$/.test(text) || SECRET_NAME_WHOLE.test(text.replace(/[_-]?\d{1,4}$/, ""))));
/**
 * How SQL_INSERT's and SQL_UPDATE's values are read: a column named as a secret's; a value not a
 * placeholder, a mask or a marker; bare values as values only in Laravel's error, which substitutes
 * its bindings into the statement it prints (`(SQL: insert into … values (bob, …))`, Laravel 10's
 * `(Connection: mysql, SQL: …)`; not SQLAlchemy's `[SQL: …]`, whose statement holds placeholders).
 */
const sqlReading = (before: string): Parameters<typeof takeInsertedSecrets>[2] => ({
  secretColumn: (name: string): boolean => SECRET_NAME_WHOLE.test(name),
  secretText: (text: string): boolean => !placeholderOrMarked(text),
  marker: marker("api_token"),
  substituted: /\(\s*(?:Connection: [^,()\r\n]{1,64}, )?SQL:[ \t]*$/.test(before),
});
/** A match with its last group (`tail`, the text after a statement's keyword) replaced by `taken`; undefined when nothing was taken. */
const withTail = (match: string, tail: string, taken: string | undefined): string | undefined => (taken === undefined ? undefined : match.slice(0, match.length - tail.length) + taken);
/** A YAML anchor before a list (`passwords: &pw [`); not Rust's `&mut [`. */
const LIST_ANCHOR = String.raw`&(?!mut\b)[\w-]{1,64}[ \t]+`;
/**
 * A list as a secret's name or its plural's value (`"api_keys": ["…", "…"]`, `password: ['…']`,
 * PHP's and Ruby's `=>`, `API_KEYS: list[str] = […]`, `const apiTokens: string[] = […]`, C#'s
 * `{ get; set; } = […]`), over lines (JSON's escaped line breaks too). Groups: the name and what
 * comes before the list, the list, the character after it on its line (none at the line's end).
 */
const SECRET_LIST = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${SECRET_NAME}s?\\*["']?\s*(?::=|[?!]?:(?:[ \t]*${TYPE_EXPRESSION}[ \t]*=(?![=>]))?|=>|${ACCESSORS}|=(?![=>])(?:\\*"(?=\[))?)[ \t]*(?:${LIST_ANCHOR})?\[(?!REDACTED:[a-z_]+\]))(${LIST_BODY})(?=[ \t]*([^ \t\r\n]?))`,
  "gi",
);
/**
 * What may follow a list whose bare words are a value: nothing on its line, or what ends a value
 * (`,`, `}`, `]`, `;`, `)`, a comment, a closing quote, JSON's escaped line break, a query's `&`).
 */
const LIST_END = /^(?:[,}\];)#/"'\\&]|$)/;
/**
 * The next field after a list, which ends the list's value too, as the list's own field was
 * written: logfmt's `key=` after a list opened by `=` (`passwords=[…] status=401`, logrus's quoted
 * `passwords="[…]"`), the next field of Go's `%+v` after a list opened right after its name's `:`
 * (`{Passwords:[… …] Port:5432}`; an empty field, `Host: Port:5432`, and unexported ones, `port:1`,
 * too).
 */
const LOGFMT_LIST_OPENED = /=(?:\\*")?\[$/;
const LOGFMT_NEXT_FIELD = /^[ \t]+[A-Za-z_][\w.-]{0,63}=(?!=)/;
const GO_LIST_OPENED = /\w:\[$/;
const GO_NEXT_FIELD = /^[ \t]+[A-Za-z_]\w{0,63}:(?=\S|[ \t]+[A-Za-z_]\w{0,63}:)/;
/**
 * A list assigned as code assigns one: `=` after a space (`passwords = [`, `: list[str] = [`, C#'s
 * accessors' `} = [`), `=>`, `:=`; not `passwords=[…]` as Java's `toString()` and a query print it.
 */
const ASSIGNED_LIST = /(?:\s=|=>|:=)[ \t]*\[$/;
/** Where SECRET_LIST may find something: a list opened after a separator. */
const LIST_OPENING = new RegExp(String.raw`[:=>}](?:\\*")?[ \t]*(?:${LIST_ANCHOR})?\[`);
/**
 * A secret's name or its plural as a YAML key at a line's start, an anchor or a tag and a comment
 * after it, and the block sequence under it (`api_keys:`, then `  - …` lines; up to 16 blank or
 * indented lines between them, comments or a mapping item's fields; a line at the margin ends it): each item read by
 * yamlSecretItem. Not read inside a JSON string (`\n` escapes). Groups: the key and its line, the items.
 */
const SECRET_YAML_LIST = new RegExp(
  String.raw`((?<![^\n])[ \t]*(?:-[ \t]+)?["']?${SECRET_NAME}s?["']?:[ \t]*(?:[&!][^\s#]{0,64}[ \t]*){0,2}(?:#[^\r\n]*)?\r?\n(?:[ \t]*(?:#[^\r\n]*)?\r?\n){0,16})((?:[ \t]*-[ \t]+\S[^\r\n]*(?:\r?\n|$)(?:[ \t]*(?:\r?\n|$)|[ \t]+(?:#|[^-\s#])[^\r\n]*(?:\r?\n|$)){0,16}){1,4096})`,
  "gi",
);
/** Where SECRET_YAML_LIST may find something: a line that is a YAML item. */
const YAML_ITEM_START = /\n[ \t]*-[ \t]/;
/** A YAML sequence's item line: its indent and dash, the rest, its line break. */
const YAML_ITEM_LINE = /^([ \t]*-[ \t]+)([^\r\n]*)(\r?\n)?$/;
/** A YAML item's quoted text: in double quotes with escapes, or in apostrophes with `''`. */
const YAML_QUOTED = /^"((?:[^"\\]|\\.)*)"|^'((?:[^']|'')*)'/;
/**
 * A list's name that names no secrets: a tokenizer's or a model's tokens, bare or with a word of
 * theirs before (`tokens`, `special_tokens`, `additional_special_tokens`, `stop_tokens`,
 * `input_tokens`); any other (`access_tokens`, `deploy_tokens`, `jwt_tokens`) holds credentials.
 */
const NOT_SECRET_LIST_NAME = /^(?:(?:additional[_-]?)?(?:special|stop|bad|added|extra|input|output|prompt|completion|eos|bos|pad|unk|mask|sep|cls|new|split|word|sub|vocab|reserved)[_-]?)?tokens$/i;
/** The name a list's match starts with (after a line's indent, a sequence's dash and a quote). */
const listName = (before: string): string => /^[ \t]*(?:-[ \t]+)?["']?([\w-]*)/.exec(before)?.[1] ?? "";
/**
 * A list item's text that is a secret: six characters or more, as a field's value; no placeholder
 * or marker, no validation rule (Laravel's `['required', 'confirmed']`) and no secret's name in lower
 * case with separators (Docker Compose's `secrets:` lists `db_password`; `Admin123Pwd` is a value).
 */
const secretItem = (text: string): boolean => text.length >= 6 && !placeholderOrMarked(text) && !LIST_VALIDATION_RULE.test(text) && !(SECRET_REFERENCE_NAME.test(text) && SECRET_NAME_WHOLE.test(text));
/** A validation rule as a list holds one, a word alone or a size (`'required'`, `'min:8'`): not `a|b`, which a password may be. */
const LIST_VALIDATION_RULE = /^(?:required|confirmed|nullable|sometimes|string|hashed|encrypted|present|filled|email|numeric|integer|boolean|array|bail|current_password|(?:min|max|size):\d{1,6})$/;
const SECRET_REFERENCE_NAME = /^[a-z0-9]+(?:[_.-][a-z0-9]+)+$/;
/** What a list of literals holds besides its texts: keywords, numbers, a literal's prefix. */
const LIST_LITERAL_WORD = /^(?:null|None|nil|undefined|true|false|True|False|[rRbBuUfF]{1,2})$/;
/**
 * Whether a list holds code besides literals: a name, a call, a comprehension (`css.slice(pos)`,
 * `[f"…" for k in …]`). Comments and JSON's escaped line breaks are no code.
 */
function listHoldsCode(list: string): boolean {
  const bare = list.replace(LIST_ITEM_PARTS, '""').replace(/\\+[nrt]|(?:#|\/\/)[^\r\n]*|\/\*[^]*?\*\//g, " ");
  for (const word of bare.match(/[A-Za-z_$][\w$]*/g) ?? []) if (!LIST_LITERAL_WORD.test(word)) return true;
  return false;
}
/**
 * Whether a list's part at `offset` is a subscript's key, alone in brackets after a name, a call or
 * another subscript (`os.environ["PROD_KEY_1"]`, `keys[offset2]`, `get()['a']`): code, not an item.
 */
function subscriptKey(list: string, offset: number): boolean {
  let at = offset - 1;
  while (list[at] === " " || list[at] === "\t") at--;
  const before = list.slice(Math.max(0, at - 8), at);
  return list[at] === "[" && /[\w$)\]]$/.test(before) && !/\\[nrt]$/.test(before) && !/(?<![\w.$])map$/.test(before);
}
/**
 * SECRET_LIST's list with each secret item's text taken, its quotes kept. Under a singular token's
 * name, one holding code is a lexer's token (`currentToken = ['string', css.slice(pos), pos]`) and
 * is left. `assigned`: the list follows `=` (code's); `ended`: what follows it ends a value (LIST_END),
 * else its bare words are prose's or a link's (`[Output Only] The secret…`, `[Reset it](…)`) and stay.
 */
function secretListItems(name: string, list: string, assigned: boolean, ended: boolean): string {
  if (/token$/i.test(name) && listHoldsCode(list)) return list;
  return list.replace(LIST_PARTS, (item: string, ...groups: unknown[]) => {
    if (subscriptKey(list, groups[12] as number)) return item;
    const bare = groups[11] as string | undefined;
    if (bare !== undefined) return ended && bareSecretItem(bare, assigned, name) ? `${(groups[10] as string | undefined) ?? ""}${marker("api_token")}` : item;
    let at = 0;
    while (at < 8 && groups[at] === undefined) at += 2;
    const quote = groups[at] as string | undefined;
    if (quote === undefined) return item;
    return secretItem((groups[at + 1] as string | undefined) ?? "") ? `${quote}${marker("api_token")}${quote}` : item;
  });
}
/**
 * A YAML sequence's item line with its text taken when it is a secret: a quoted text, or a plain
 * one up to a comment (` #`). A mapping (`- user: bob`) is no item of texts: its fields are
 * SECRET_FIELD's, which reads those with a secret's name.
 */
function yamlSecretItem(line: string): string {
  const parts = YAML_ITEM_LINE.exec(line);
  if (parts === null) return line;
  const [, dash = "", rest = "", end = ""] = parts;
  const quoted = YAML_QUOTED.exec(rest);
  let text: string;
  let quote = "";
  if (quoted !== null) {
    quote = rest[0]!;
    text = quoted[1] ?? quoted[2] ?? "";
  } else {
    const comment = rest.search(/[ \t]#/);
    text = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd();
    if (/:(?:[ \t]|$)/.test(text)) return line;
  }
  if (!secretItem(text)) return line;
  return `${dash}${quote}${marker("api_token")}${rest.slice(quote.length + text.length)}${end}`;
}

/** A secret's name with up to 128 characters before its word, for rules that start it only at an identifier's start. */
const LONG_SECRET_NAME = String.raw`[A-Za-z0-9_-]{0,128}${SECRET_WORDS}`;
/**
 * A secret's name given a value only when it has none: a literal after JavaScript's `??=`, Ruby's
 * and JavaScript's `||=` or Make's `?=` (`password ??= "…"`, `DB_PASSWORD ?= "…"`), and after
 * Make's `?=` a bare word to the line's end, a comment, JSON's escaped line break or a closing quote
 * (`API_KEY ?= …`, a Makefile inside a JSON string; the literal's tests leave a variable, `$(…)`).
 * Groups: what comes before the literal; its quote and text; or an empty quote and the bare word.
 */
const CONDITIONAL_SECRET_LITERAL = new RegExp(
  String.raw`(?<![A-Za-z0-9_-])(${LONG_SECRET_NAME}\\*["']?[ \t]*(?:\?\?|\|\||\?)=[ \t]*)(?:${LITERAL_ARGUMENT}(?:${DECLARED_LITERAL_END}|(?=\.freeze\b))|(?<=[^?|]\?=[ \t]*)()([^\s#'"\\](?:[^\s#"'\\]|\\(?![nrt"\\])|["'](?![ \t]*(?:[,}\]:]|$))){5,255})(?=[ \t]*(?:#|\r?\n|\\[nrt]|\\*["']|$)))`,
  "gi",
);
/** An `=` and a quote after it: where TYPED_SECRET_LITERAL may find something. */
const LITERAL_AFTER_EQUALS = /=[ \t]*\\*["']/;
/**
 * A secret's name declared with a type and given a literal, the literal alone taken
 * (`const token: Readonly<string> = "…"`, `API_KEY: Final[str] = "…"`, Kotlin's
 * `val password: CharArray = "…".toCharArray()`, Go's `var password string = "…"`, TypeScript's
 * optional `password?: string = "…"`, C#'s `string Password { get; set; } = "…"`). Any type:
 * SECRET_FIELD would read the type as the value and leave the literal after it.
 * Groups: what comes before the literal, its quote, its text.
 */
const TYPED_SECRET_LITERAL = new RegExp(
  String.raw`(?<![A-Za-z0-9])((?:${SECRET_NAME}\\*["']?[ \t]*[?!]?:[ \t]*${TYPE_EXPRESSION}|(?<![\w$])(?:var|const)[ \t]+${SECRET_NAME}[ \t]+\*?[A-Za-z_\[\]][\w.\[\]]{0,40}|${SECRET_NAME}[ \t]*\{[ \t]*get;[ \t\w;]{0,40}\})[ \t]*=(?![=>])[ \t]*)${LITERAL_ARGUMENT}${DECLARED_LITERAL_END}`,
  "gi",
);
/**
 * A secret type's constructor of a literal, its first argument (`SecretString::from("…")`,
 * `SecretKey::from_str("…")`, oauth2's `ClientSecret::new("…".to_string())`, `PrivateKey::from_wif`).
 * Groups: what comes before the literal, its quote, its text.
 */
const SECRET_TYPE_LITERAL = new RegExp(
  String.raw`(?<![\w$])((?:Secret\w{0,16}|\w{0,16}(?:Password|PrivateKey|SecretKey|ApiKey|AccessKey|ClientSecret))::(?:from|new|parse|from_str|from_wif|from_hex)\(${SETTER_SPACE}{0,32})${LITERAL_ARGUMENT}(?=${AFTER_LITERAL_ARGUMENT}[,)])`,
  "g",
);
/** A whole call of one quoted argument (`getpass.getpass('Password: ')`): the argument's text. */
const WHOLE_CALL = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\(\\*["']([^"'\r\n\\]{0,64})\\*["']\)$/;
/** A call's quoted argument, from inside it, to its closing quote and `,` or `)`: the argument's text. */
const CALL_ARGUMENT_END = /^([^"'\r\n\\]{0,64})\\*["']\s*[,)]/;
/** A whole secret's name. */
const SECRET_NAME_WHOLE = new RegExp(String.raw`^${DOTTED_SECRET_NAME}$`, "i");
/**
 * Whether a secret field's value (`password = os.getenv(`), with the text after it, is code's call
 * whose quoted argument names what is read or prompts for it (`os.getenv("DB_PASSWORD")`,
 * `headers.get("authorization")`, `getpass.getpass('Password: ')`): then there is no password there. Not a value that only looks
 * like one (`FakePw123(`, `decrypt("…")`: its argument may be the secret).
 */
function codeCall(value: string, after: string): boolean {
  const whole = WHOLE_CALL.exec(value)?.[1];
  if (whole !== undefined) return callArgumentNamesSomething(whole) || modulePath(value, whole);
  // Its literal is gone already (WRAPPED_SECRET_LITERAL): what is left is code.
  if (CALL_OPENING.test(value) && TAKEN_ARGUMENT.test(after)) return true;
  const call = CALL_START.exec(value);
  if (call === null) return false;
  const [, quote, start = ""] = call;
  // Cut at the call's `(`, the argument's opening quote (spaces before it too) starts what follows;
  // cut inside it, what follows ends it; cut after an argument, what follows is another.
  const opening = quote === undefined ? (start === "" ? /^[ \t]*\\*["']/ : /^\\*["']/).exec(after)?.[0] : "";
  if (opening === undefined) return false;
  const argument = CALL_ARGUMENT_END.exec(after.slice(opening.length))?.[1];
  if (argument === undefined) return false;
  const text = quote === undefined ? argument : start + argument;
  return callArgumentNamesSomething(text) || modulePath(value, text);
}
/** Whether a call is `require` or `import` of a module's relative path (`require('./auth/sha256_password')`): it names what is loaded. */
function modulePath(call: string, argument: string): boolean {
  return /^(?:require|import)\(/.test(call) && /^\.{1,2}\/[\w./-]*$/.test(argument);
}
/** A call's argument that names what is read (`DB_PASSWORD`, a header's `authorization`) or prompts for it (`Password: `), not one that may be the secret (`FakeCipher99`). */
function callArgumentNamesSomething(text: string): boolean {
  return SECRET_NAME_WHOLE.test(text) || /^[a-z][a-z_.-]*$/.test(text) || /[\s:]/.test(text);
}
/** A secret's name in quotes (escaped ones too), dotted too (`db.password`, `Jwt:Secret`). */
const QUOTED_SECRET_NAME = String.raw`\\*["']${DOTTED_SECRET_NAME}\\*["']`;
/**
 * A literal in code: in plain quotes or backticks (escapes inside; in apostrophes or backticks an
 * escaped `"` too, its run of backslashes whole, but not one before `,:}]`, a space, or JSON's
 * escaped line breaks and tabs and then `}` or `]` (indented JSON), which ends the JSON string the
 * text is in),
 * or in escaped quotes one to three levels down (JSON's; deeper quotes inside, none of its own level
 * or above, so it never runs past the string it is in). Groups, after the one group before it: its
 * quote and text, then for each level of escaped quotes its quote and text.
 */
const SECRET_LITERAL = String.raw`(?:(["'\`])((?:\\(?=\2)[^\r\n]|\\[^\r\n"]|(?<!\\)\\+(?!\2)"(?![\s,:}\]]|(?:\\+[nrt])+[ \t]*[}\]])|(?!\2)[^\r\n"\\]){1,256})\2|${ESCAPE_DEPTHS.map((depth) => String.raw`((?<!\\)\\{${2 ** depth - 1}}")((?:[^\r\n"\\]|\\+[^\r\n"\\]|${deeperQuote(depth)}){1,256})${quoteOfDepth(depth)}`).join("|")})`;
/**
 * A call's arguments, over lines too: a quoted text whole (a help text's `(default: %(default)s)`),
 * in JSON's escaped quotes too (`char: \"p\"`), a comment to its line's end or JSON's escaped line
 * break (`# don't commit`; one that ends nowhere else, so a `#` inside it starts nothing: 256
 * characters at most), a call of their own inside them one level down, at most 256 parts, read
 * lazily; each part told by its first characters, so nothing is read twice.
 */
const CALL_ARGUMENTS = String.raw`(?:"(?:[^"\\\r\n]|\\[^\r\n]){0,256}"|'(?:[^'\\\r\n]|\\[^\r\n]){0,256}'|\\+"(?:[^"\\\r\n]|\\+[^"\\\r\n]){0,256}\\+"|\\+(?![\\"])|(?:(?<!\.)#|\/\/)(?:[^\r\n\\]|\\(?![nr])){0,256}(?=[\r\n]|\\[nr]|$)|(?<=\.)#|[^()"';#/\\]|\/(?!\/)|\([^()]{0,64}\)){0,256}?`;
/** The keyword of a declared default (`default=`, `server_default=`, marshmallow's `load_default=`, Django's `initial=`, picocli's `defaultValue =`, yargs' `default:`, `default_factory=lambda:`). */
const DEFAULT_KEYWORD = String.raw`\b(?:(?:server_|load_|dump_)?default|initial|defaultValue|default_factory(?=[ \t]*=[ \t]*lambda\b))[ \t]*[=:][ \t]*(?:lambda[ \t]*:[ \t]*)?`;
/** Where DECLARED_DEFAULT may find something: a default's keyword, a field's or an option's call, Go's flag. */
const DECLARED_DEFAULT_HINT = /default|initial|Field\(|Option\(|\.String/i;
/**
 * A commander option's flags naming a secret, in quotes (JSON's escaped ones too): a short flag
 * before or after it, its value's placeholder after it (`'-p, --password <password>'`, `'--password,
 * -p <pw>'`, `"--api-key [key]"`); not a negated option (`--no-password`).
 */
const COMMANDER_FLAGS = String.raw`\\*["'](?:-\w(?:,[ \t]*|[ \t]+|\|))?--?(?!-|no-)${SECRET_NAME}(?:(?:,[ \t]*|[ \t]+|\|)-\w)?(?:[ =](?:<[^<>"'\r\n]{1,64}>|\[[^[\]"'\r\n]{1,64}\]))?\\*["']`;
/** Space between commander's arguments and chained calls, JSON's escaped line breaks too. */
const COMMANDER_SPACE = String.raw`${SETTER_SPACE}{0,32}`;
/** A function commander parses an option's value with, before its default (`parseInt`, `(v) => v.trim()`). */
const COMMANDER_PARSER = String.raw`(?:[A-Za-z_$][\w$.]{0,64}|(?:\([\w$, ]{0,64}\)|[\w$]{1,32})[ \t]*=>[ \t]*[^,()\r\n]{1,64}(?:\(\))?)`;
/** A call whose arguments hold a default's keyword: CALL_ARGUMENTS, then DEFAULT_KEYWORD. */
const CALL_DEFAULT = String.raw`[A-Za-z_][\w.]{0,64}\(${CALL_ARGUMENTS}${DEFAULT_KEYWORD}`;
/** A quoted text as a call's argument (an option's description), escapes inside; in backticks and JSON's escaped quotes too. */
const COMMANDER_TEXT = String.raw`(?:"(?:[^"\\\r\n]|\\[^\r\n]){0,256}"|'(?:[^'\\\r\n]|\\[^\r\n]){0,256}'|\`(?:[^\`\\\r\n]|\\[^\r\n]){0,256}\`|\\+"(?:[^"\\\r\n]|\\+[^"\\\r\n]){0,256}\\+")`;
/**
 * A literal default of an option or a field named as a secret, as code declares one: a command
 * line option's (argparse's `add_argument("--password", default="…")`, click's
 * `option("--api-key", default="…")`, picocli's `names = {"--password"}, defaultValue = "…"`,
 * yargs' `option('password', { default: '…' })`) after the option's quoted name and a comma; any
 * call's default keyword assigned to a secret's name, its name up to 128 characters before its word
 * (Pydantic's and SQLModel's `password: str = Field(default="…")`, dataclasses' `field(default="…")`,
 * SQLAlchemy's `Column(String, default="…")`, Django's `CharField(max_length=50, default="…")`,
 * python-decouple's `config("PGPW", default="…")`), or the first argument of `Field("…")` or
 * typer's `Option("…")` (after `=`); a default keyword in a call that is a secret's property (oclif's
 * `password: Flags.string({ default: '…' })`); commander's argument after the option's flags, its
 * description and a parser if any (`.option('-p, --password <pw>', 'the password', '…')`, over
 * lines too) and its `new Option('--password <pw>').default('…')` (calls chained before it,
 * `.env('PW')`, and `createOption` too); Go's `flag.String("password", "…", …)` and its
 * `StringVar`, `StringP`, pflag's and cobra's `Flags().String…`. The call's other arguments before
 * the default may run over lines, not past a `;`.
 * Groups: what comes before the literal; then SECRET_LITERAL's.
 */
const DECLARED_DEFAULT = new RegExp(
  String.raw`((?:(?<!\\)\\*["'](?:--?)?${SECRET_NAME}\\*["'][ \t]*[,}]${CALL_ARGUMENTS}${DEFAULT_KEYWORD}|(?<![A-Za-z0-9_-])${LONG_SECRET_NAME}\\*["']?[ \t]*(?:(?::[ \t]*(?:${DECLARED_TYPE}|${TYPE_EXPRESSION})[ \t]*)?=[ \t]*(?:${CALL_DEFAULT}|(?<![\w$])(?:\w+\.)?(?:Field|Option)\(\s*)|:[ \t]*${CALL_DEFAULT})|\.(?:option|requiredOption)\(${COMMANDER_SPACE}${COMMANDER_FLAGS}${COMMANDER_SPACE},${COMMANDER_SPACE}${COMMANDER_TEXT}${COMMANDER_SPACE},${COMMANDER_SPACE}(?:${COMMANDER_PARSER}${COMMANDER_SPACE},${COMMANDER_SPACE})?|(?:\bnew[ \t]+(?:\w+\.)?Option|\.createOption)\(${COMMANDER_SPACE}${COMMANDER_FLAGS}(?:${COMMANDER_SPACE},${COMMANDER_SPACE}${COMMANDER_TEXT})?${COMMANDER_SPACE}\)(?:${COMMANDER_SPACE}\.(?!default\b)\w{1,32}\((?:[^()"'\r\n]|"[^"\r\n]{0,64}"|'[^'\r\n]{0,64}'){0,128}\)){0,8}${COMMANDER_SPACE}\.default\(${COMMANDER_SPACE}|\b(?:flag|pflag|\w+\.(?:Persistent)?Flags\(\))\.String(?:Var)?P?\((?:&[\w.]+,\s*)?\\*"${SECRET_NAME}\\*",\s*(?:\\*"\w?\\*",\s*)?)(?:${LITERAL_PREFIX})?)${SECRET_LITERAL}`,
  "gi",
);
/**
 * A literal default for a secret read from the environment or a configuration, as code and a
 * traceback's source lines show it: a call's last argument after the secret's name
 * (`os.getenv("DB_PASSWORD", "…")`, `os.environ.get(…)`, `config.get("client_secret", "…")`,
 * `kwargs.pop("api_key", "…")`, `System.getProperty("db.password", "…")`, Ruby's `ENV.fetch`,
 * configparser's and boto's `get` after a section, quoted or a variable (`config.get("db",
 * "password", fallback="…")`, boto's `config.get(section, "password", "…")`, `raw=True` and
 * `vars=…` before it too; over lines, JSON's too; a cache's `get(key, "secret", "…")` reads alike),
 * Laravel's `env()` and `config()`, `getOrDefault`, `getOrElse`; `default=` or `fallback=` too), or
 * what follows `||`, `??`, `?:`, `//` or `or` after reading it (`process.env.DB_PASSWORD || '…'`,
 * `import.meta.env`, `Bun.env`, `process.env["API_KEY"] ?? "…"`, `ENV["…"]`, `settings["…"]`,
 * `os.environ.get("…") or "…"`, `getenv("…") ?: …`, `Environment.GetEnvironmentVariable("…") ??
 * "…"`, Perl's `$ENV{…} // '…'`). Groups: what comes before the default; its quote and text in
 * plain quotes or backticks (escapes inside); or in escaped quotes (JSON).
 */
const SECRET_DEFAULT = new RegExp(
  String.raw`((?:\bget\(${SETTER_SPACE}{0,32}(?:\\*["'][\w. -]{1,64}\\*["']${SETTER_SPACE}{0,32},${SETTER_SPACE}{0,32}${QUOTED_SECRET_NAME}${SETTER_SPACE}{0,32},${SETTER_SPACE}{0,32}(?:(?:raw|vars)\s*=\s*[\w.]{1,32}${SETTER_SPACE}{0,32},${SETTER_SPACE}{0,32}){0,2}(?:(?:default|fallback)\s*=\s*)?|[A-Za-z_][\w.]{0,64}${SETTER_SPACE}{0,32},${SETTER_SPACE}{0,32}${QUOTED_SECRET_NAME}${SETTER_SPACE}{0,32},${SETTER_SPACE}{0,32}(?:(?:raw|vars)\s*=\s*[\w.]{1,32}${SETTER_SPACE}{0,32},${SETTER_SPACE}{0,32}){0,2}(?:(?:default|fallback)\s*=\s*)?)|\b(?:getenv|get|fetch|env|config|pop|getProperty|get_env|getEnv|setdefault|getOrDefault|getOrElse|GetEnvironmentVariable)\(\s*${QUOTED_SECRET_NAME}\s*,\s*(?:(?:default|fallback)\s*=\s*)?|(?:(?:process|Bun|Deno|import\.meta)\.env\.${DOTTED_SECRET_NAME}\b|\b(?:process\.env|\w{1,64})\[\s*${QUOTED_SECRET_NAME}\s*\]|\$ENV\{\s*\\*["']?${DOTTED_SECRET_NAME}\\*["']?\s*\}|\b(?:getenv|get|fetch|GetEnvironmentVariable)\(\s*${QUOTED_SECRET_NAME}\s*\))\s*(?:\|\||\?\?|\?:|\/\/|\bor\b)\s*))${SECRET_LITERAL}`,
  "gi",
);
/**
 * A literal paired with a secret's name in a list of two inside a list of them, as ActiveRecord's
 * query log prints its bound values (`[["email", "…"], ["api_token", "…"]]`), Python's tuples too
 * (`[("password", "…"), …]`); not a list of two
 * names alone (`__rest(_a, ["token", "options"])`, `paths: ['user.password', '…']`). Groups: what
 * comes before the literal; then SECRET_LITERAL's.
 */
const SECRET_NAMED_PAIR = new RegExp(String.raw`((?<=\[[ \t]{0,8}|[\])][ \t]{0,8},[ \t]{0,8})[[(][ \t]*\\*["']${DOTTED_SECRET_NAME}\\*["'][ \t]*,[ \t]*)${SECRET_LITERAL}(?=[ \t]*[\])])`, "gi");
/**
 * The calls that take a name and its value (`os.Setenv("API_KEY", "…")`, Elixir's `System.put_env`,
 * Rust's `env::set_var`, `Deno.env.set`, a map's or a form's `set`, `append`, `Add`, `insert`,
 * Ruby's `ENV.store`), read by SECRET_ASSIGNMENT and its gate ASSIGNMENT_SHAPE.
 */
const PAIR_SETTER = "(?:setenv|putenv|put_env|set_var|setProperty|put|set|setItem|SetEnvironmentVariable|setHeader|append|add|insert|store)";
/** A secret's name at the end of a setter's or a builder's (`setPassword`, `.clientSecret`, `withApiToken`), read as PAIR_SETTER is. */
const SETTER_SECRET = "(?:password|passwd|passphrase|secret_?string|secret|api_?key|access_?key|secret_?key|private_?key|client_?secret|api_?token|auth_?token|access_?token|bearer_?token|token|credentials?)";
/** What a setter's name starts with before SETTER_SECRET (`set`, `with`, `reset`, `update`, `change` and words between, or a builder's `.`). */
const SETTER_NAME_START = String.raw`(?:\b(?:set|with|reset|update|change)_?\w{0,24}?|\.)`;
/**
 * A setter of a secret's name and its first argument, a name (`set_password(user, '…')`, Key
 * Vault's `setSecret(secretName, "…")`), or a secret store's setter and a quoted name (`set_secret(
 * "db-password", "…")`, `SetSecretAsync("name", "…")`; other setters' quoted first arguments are
 * labels as often: `SetToken("index", "Service")`, `.token("keyword", "function")`): the literal
 * after it is the secret when it is the last argument (SECRET_ASSIGNMENT's replace checks that:
 * `set_password(service, 'user', …)` names a user there).
 */
const SETTER_FIRST_ARGUMENT = String.raw`(?:${SETTER_NAME_START}${SETTER_SECRET}(?:Async)?\(${SETTER_SPACE}{0,32}[A-Za-z_$][\w$.]{0,64}|\b[Ss]et_?[Ss]ecret(?:Async)?\(${SETTER_SPACE}{0,32}\\*["'][\w.:/-]{1,64}\\*["'])${SETTER_SPACE}{0,32}`;
const SETTER_AFTER_ONE_ARGUMENT = String.raw`${SETTER_FIRST_ARGUMENT},`;
/** The text before SECRET_ASSIGNMENT's match when SETTER_AFTER_ONE_ARGUMENT is what it read (the match starts at the comma). */
const SETTER_FIRST_ARGUMENT_END = new RegExp(String.raw`${SETTER_FIRST_ARGUMENT}$`, "i");
/** A setter's `(` and the space after it, at the end of what SECRET_ASSIGNMENT read before its literal (JSON's escaped line breaks too). */
const SETTER_OPENING_END = new RegExp(String.raw`\(${SETTER_SPACE}*$`);
/** A comma after a setter's first argument: more arguments follow. */
const SETTER_NEXT_ARGUMENT = new RegExp(String.raw`^${SETTER_SPACE}*,`);
/** A trailing comma closing a call (`.secret_string(\n    "…",\n)`, as rustfmt and Prettier leave one over lines). */
const TRAILING_COMMA = new RegExp(String.raw`^${SETTER_SPACE}{0,32},${SETTER_SPACE}{0,32}\)`);
/**
 * What follows a call's last argument: `)`, a trailing comma, an options object, a keyword argument
 * (`content_type=…`; not one naming the secret, `password=token`, which makes the literal a user's
 * name), .NET's cancellation token.
 */
const SETTER_LAST_ARGUMENT_END = new RegExp(String.raw`^${SETTER_SPACE}{0,32}(?:\)|,${SETTER_SPACE}{0,32}(?:\)|\{|(?!(?:${SETTER_SECRET}|value)${SETTER_SPACE}{0,32}=)[A-Za-z_]\w*${SETTER_SPACE}{0,32}=(?!=)|(?:cancellationToken|ct)${SETTER_SPACE}{0,32}\)))`, "i");
/**
 * A literal assigned to a secret's name in code and in what languages print of their maps, as
 * tracebacks' source lines and debug dumps show them: by a subscript (`os.environ["DB_PASSWORD"] =
 * "…"`, `$cfg['Servers'][$i]['password'] = '…'`, `ENV['API_KEY'] ||= '…'`, Lua's `{["password"] =
 * "…"}`, Ruby's `params[:password] = "…"`, Perl's `$ENV{DB_PASSWORD} = '…'` and `$self->{password}`),
 * as a pair's value (`os.Setenv("API_KEY", "…")`, `setProperty`, `put`, `localStorage.setItem`,
 * `SetEnvironmentVariable`, `setHeader`, Scala's `Map("password" -> "…")`, Kotlin's `mapOf("password" to "…")`,
 * after `(`, `,`, `=` or the text's start, over lines too: `cannot convert "token" to "BigInteger"` is prose),
 * under an arrow (PHP's and Perl's `'password' => '…'`, Perl's `password => '…'` and `-password =>
 * '…'`, Ruby's `:password => "…"` and `{"password"=>"…"}`, Elixir's `%{"password" => "…"}`, PHP's
 * var_dump, `["password"]=>` (a property's too, `["password":protected]=>`) then `string(8) "…"` on
 * the next line), or to a setter (`setPassword("…")`, Django's `set_password('…')`, a builder's
 * `.password("…")`, `withClientSecret`, `setToken`, GitHub Actions' `core.setSecret('…')`; Python's
 * `u"…"`, `b"…"`, `r"…"` too) as its only argument or its last after one (SETTER_FIRST_ARGUMENT:
 * `set_password(user, '…')`, Key Vault's `set_secret("name", "…")`). A variable or a call there is
 * no literal, and is left (`'password' => $password`, `env('DB_PASSWORD')`). The match starts at the `]`, `}`, `=>`, `->`, `to`, `,` or `(`,
 * the name read behind it, so the pattern is tried only there. Groups: as SECRET_DEFAULT's.
 */
const SECRET_ASSIGNMENT = new RegExp(
  String.raw`((?:\](?<=\[\s*(?:${QUOTED_SECRET_NAME}|:${SECRET_NAME})\s*\])\s*(?:\|\||\?\?)?=(?![=>~])\s*|\}(?<=(?:\$\w{1,64}|->)\{\s*(?:${QUOTED_SECRET_NAME}|${SECRET_NAME})\s*\})\s*(?:\|\||\/\/)?=(?![=>~])\s*|=>(?<=(?:\[\s*${QUOTED_SECRET_NAME}(?::(?:protected|\\*"[\w\\]{1,64}\\*":private))?\s*\]|${QUOTED_SECRET_NAME}|(?<![\w$@%:-])[-:]?${SECRET_NAME}(?![\w-]))[ \t]*=>)(?:[ \t]*(?:\r?\n|\\{1,8}n)[ \t]*string\(\d{1,6}\)[ \t]*|(?:\s|\\{1,8}[nrt]){0,64})|(?:->|\bto\b)(?<=(?:^|[(,=])(?:\s|\\{1,8}[nrt])*${QUOTED_SECRET_NAME}[ \t]*(?:->|[ \t]to))[ \t]*|,(?<=\b${PAIR_SETTER}\(\s*${QUOTED_SECRET_NAME}\s*,)\s*|\((?<=${SETTER_NAME_START}${SETTER_SECRET}\()${SETTER_SPACE}{0,32}(?:[rRbBuU]{1,2}(?=["']))?|,(?<=${SETTER_AFTER_ONE_ARGUMENT})${SETTER_SPACE}*(?:[rRbBuU]{1,2}(?=["']))?))${SECRET_LITERAL}`,
  "gi",
);
/** Whether SECRET_ASSIGNMENT is worth trying: an arrow, a subscript's assignment, or a call of a setter's name or of one taking a name and a value. */
const ASSIGNMENT_SHAPE = new RegExp(String.raw`=>|[\]}]\s*(?:\|\||\?\?|\/\/)?=|->|\sto\b|(?:${SETTER_SECRET}(?:Async)?|${PAIR_SETTER})\(`, "i");
/**
 * print_r's line for a secret's name (`[password] => …`, `[db_password:protected] => …`): the
 * value bare, to the line's end; not one holding ` => ` or starting with `[` (keys of one line's
 * dump, which a value is not). Groups: what stays before the value, the value.
 */
const PRINT_R_SECRET = new RegExp(String.raw`(\[${SECRET_NAME}(?::(?:protected|private)|:[\w\\]{1,64}:private)?\][ \t]*=>[ \t]*)([^\s"\\[](?:[^\s"\\=]|=(?!>)|[ \t]{1,64}(?=[^\s"\\])){0,255})(?=[ \t]*(?:[\r\n]|\\{1,8}[nr]|\\*"|$))`, "gi");
/** print_r's value that is no password: a nested array or object, which its next lines show. */
const PRINT_R_NESTED = /^(?:Array|[\w\\]+ Object)$/;
/** A secret's file by its path, directories in lower case and the file's name in one case (`/run/secrets/db_password`; a key starting with `/` is none: `/yu1/pqIy…`). */
const SECRET_FILE = /^(?:\.{0,2}|~)\/(?:[a-z0-9_.-]+\/)+(?:[a-z0-9_.-]+|[A-Z0-9_.-]+)$/;
/** A framework's word for a value it filtered out of a log (Rails's `[FILTERED]`). */
const FRAMEWORK_FILTER = /^\[?(?:FILTERED|REDACTED|REMOVED|MASKED|HIDDEN)\]?$/;
/** Literals that name or label something rather than hold a secret, when they hold no digit (see secretLiteralReplacement). */
const LITERAL_NAMES_SOMETHING = [
  // A mask.
  /^[Xx*#•]+(?:[-_ ][Xx*#•]+)*$/,
  // A class or a module by its namespace, a static member, a controller's action: capitalised words of letters.
  /^\\?[A-Z][A-Za-z]*(?:(?:\\{1,2}|::)[A-Z][A-Za-z]*)+(?:::[a-z]\w*(?:\(\))?)?$|^[A-Z][A-Za-z]*Controller@[a-z]\w*$/,
  // A file, by a path or its extension (`'cpan/CPAN/lib/…/Credentials.pm'`, `"service-account.json"`).
  /^[\w.-]*(?:\/[\w.-]+)*\.(?:pm|pl|py|rb|php|js|ts|json|ya?ml|pem|key|crt|cer|der|p12|pfx|jks|txt|env|conf|ini|properties|xml)$/,
  // A property's path of three names or more (`"jupyter.extensions.jupyterWidgetRegistry"`).
  /^[a-z_$][A-Za-z_$]*(?:\.[a-z_$][A-Za-z_$]*){2,}$/,
];
/**
 * SECRET_DEFAULT's and SECRET_ASSIGNMENT's literal, groups as theirs: six characters or more, as a
 * secret field's value, in its quotes; not a keyword, a placeholder, an expression, a sentence, a
 * validation rule (Laravel's `'password' => 'required|min:8'`), a URL, a version, a secret's name,
 * a prompt, or a name or label of code or a translation.
 */
function secretLiteralReplacement(groups: readonly (string | undefined)[]): string | undefined {
  const before = groups[0] ?? "";
  // The quote and the text of whichever of the literal's forms matched (SECRET_LITERAL's pairs of groups).
  const pair = [1, 3, 5, 7].find((index) => groups[index] !== undefined) ?? 1;
  const quote = groups[pair] ?? "";
  const text = groups[pair + 1] ?? "";
  // A placeholder or the word for a password, after Spring's encoding prefix too (`{noop}password`).
  if (text.length < 6 || /^(?:none|null|undefined|bearer|basic)$/i.test(text) || namesNoPassword(text.replace(/^\{\w+\}/, "")) || text.includes("[REDACTED:") || text.includes("${") || /\S\s+\S+\s+\S/.test(text) || VALIDATION_RULES.test(text)) return undefined;
  // Nor a URL, a date or a version (Perl's module tables, `'CPAN::HTTP::Credentials'=> '1.9600'`), or a name of
  // lower-case words for a secret (an enum's `ContentEncoding["XToken"] = "x-token"`).
  if (NOT_A_TOKEN.test(text) || (/^[a-z]+(?:[-_.][a-z]+)*$/.test(text) && (SECRET_NAME_WHOLE.test(text) || (/[-_.]/.test(text) && mentionsSecret(text))))) return undefined;
  // Nor a prompt (`read.password('Current password: ')`) or words naming a secret (`"deleted password"`).
  if (/:\s*$/.test(text) || (/\s/.test(text) && mentionsSecret(text))) return undefined;
  // Nor what code puts there: a reference to a store or a secret's file (a key may start with `/`,
  // so not any path), a framework's filter (`[FILTERED]`), a hash's name; and with no digit (`P@ssw0rd`, `Admin@123`, a key with slashes are
  // passwords), a mask, a secret's name in lower camel case (`'clientSecret'`; not
  // `"MySecretToken"`), a class, a module, a file, a long property's path. A capitalised word or
  // words of letters may be a translation or a CSS class (`'Passwort'`, `'form-control'`) and are
  // taken: as often a password.
  if (STORE_REFERENCE.test(text) || SECRET_FILE.test(text) || FRAMEWORK_FILTER.test(text) || HASH_NAME.test(text)) return undefined;
  if (!/\d/.test(text) && ((/^[a-z]/.test(text) && CAMEL_CASE_WORD.test(text) && SECRET_NAME_WHOLE.test(text)) || LITERAL_NAMES_SOMETHING.some((pattern) => pattern.test(text)))) return undefined;
  return `${before}${quote}${marker("api_token")}${quote}`;
}
/** A CI system's or a deployment tool's expression for a secret (`${{ secrets.X }}`, `$X`, Azure DevOps' `#{X}#`, Rundeck's `@option.password@`): no secret. */
const CI_EXPRESSION = /^(?:\$|#\{[^}]*\}#?$|@[\w.]+@$)/;
/** A positional or piped password that is none: a placeholder or a word for one, a marker already, a CI system's expression. */
const standsForPassword = (text: string): boolean => namesNoPassword(text) || text.startsWith("[REDACTED:") || CI_EXPRESSION.test(text);
/** A word documentation writes where the password goes (`-P password`, `-p your_password`): no password. */
const PASSWORD_WORD = /^(?:(?:your|my|the|new|old|some)[_-]?)?(?:password|passwd|pass|pwd|passphrase|secret|token|api[_-]?key|key|pw)[\])]?$/i;
/** A value that stands where a password goes without being one: a placeholder or a word for it. */
const namesNoPassword = (text: string): boolean => OPTION_PLACEHOLDER.test(text) || PASSWORD_WORD.test(text);
/** A placeholder or a word for a password, or a value that holds a marker already (an earlier rule took part of it). */
const placeholderOrMarked = (text: string): boolean => namesNoPassword(text) || text.includes("[REDACTED:");
/** Whether TOOL_SECRET_OPTION is worth trying: a tool's name anywhere, in any case. */
const TOOL_NAME_ANYWHERE = new RegExp(`${TOOL_NAME_STARTS.filter((name) => name.length > 3).join("|")}|\\b(?:${TOOL_NAME_STARTS.filter((name) => name.length <= 3).join("|")})\\b`, "i");
/** The kind TOOL_SECRET_OPTION marks a value with: a database's password, as DASH_P_PASSWORD, or a token. */
function toolSecretKind(prefix: string): ScannerKind {
  return /^(?:sqlcmd|osql|bcp|isql|mongo|redis)/i.test(prefix) ? "connection_string" : "api_token";
}

/** A value's opening quote: `"`, `'`, `` ` `` or an escaped `"` at any depth; "" for none. */
function openingQuoteOf(value: string): string {
  return OPENING_QUOTE_OR_BACKTICK.exec(value)?.[0] ?? "";
}

/** A value without the quotes around it (`"…"`, `'…'`, `` `…` ``, `\"…\"` at any depth). */
function unquoted(value: string): string {
  const quote = openingQuoteOf(value);
  return quote !== "" && value.length >= 2 * quote.length && value.endsWith(quote) ? value.slice(quote.length, -quote.length) : value;
}

/** The value's quotes kept around its marker: `"…"`, `'…'`, `` `…` ``, `\"…\"`, or none. */
function quotedMarker(value: string, kind: ScannerKind): string {
  const quote = openingQuoteOf(value);
  const closed = quote !== "" && value.length > quote.length && value.endsWith(quote);
  return `${quote}${marker(kind)}${closed ? quote : ""}`;
}

/**
 * A value in escaped quotes (`--password=\"correct horse\"`, JSON inside JSON): to the quote of
 * its depth that ends it, one followed by a quote, a space, `,;})]`, a backslash, the end, or a
 * sentence's `.!?` before a space or the end. One followed by anything else is part of the value.
 * Not one that starts with a JSON delimiter.
 */
const ESCAPED_END = String.raw`["\s,;})\]\\]|[.!?](?=\s|$)|$`;
const ESCAPED_QUOTED = escapedQuoted(
  (open, close, deeper) => String.raw`${open}(?![,:}\]])${notJsonBetweenStrings(close, stringEndBelow(deeper))}(?:[^"\\\r\n]|\\+[^"\\\r\n]|${deeper}|${close}(?!${ESCAPED_END})){1,256}${close}(?=${ESCAPED_END})`,
);
/**
 * `AccountKey=`, `SharedAccessKey=`, `SharedAccessSignature=`, `Password=`, `Pwd=` fields, up to
 * 256 characters a value:
 * - quoted;
 * - or to the `;` that ends it, spaces, `=` signs, apostrophes, brackets and escaped characters
 *   included (`Password=Winter is coming;`, `Pwd={let me in=now};`, `Password=it's [x];`);
 * - or, ending in `=` and a quoted string, with the string: in `Password=x client_secret="…"` it
 *   may be another field's value or the password's end;
 * - or to the line end, a closing quote (escaped or not) or the next field of these names
 *   (` SharedAccessKey=`, ` --db-password=`, `[Pwd=`), which is then scanned in turn.
 * A value with spaces is taken whole only inside a connection string: a `;` after the value, or
 * one before the name that ends a `name=value` field on the same line. In prose such as
 * "Password = must be 8 characters long" only its first word goes, and the rest is scanned for
 * further fields. A value that starts with a marker is left, so a second scan finds nothing
 * more, and so is a framework's placeholder for a filtered value (`password=[FILTERED]&next=…`).
 */
const FIELD_NAMES = "AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd";
/** Where another of these fields starts: after a space (` --db-password=`) or right after a non-letter (`[Pwd=`). */
const NEXT_FIELD = String.raw`(?:\s[-\w.]{0,32}?\b|(?<![A-Za-z]))(?:${FIELD_NAMES})\s*=`;
/** A value that starts with a marker is left: a second scan finds nothing more. */
const NO_MARKER = String.raw`(?!${MARKER})`;
/**
 * To the `;` that ends it; escaped characters included (`\"`), though it does not end in an
 * escaped quote (that closes a string inside a string). Read through an escaped quote, it can take
 * the rest of such a string: over-redaction, where stopping there let a password with `\" ` in
 * it travel.
 */
const TO_SEMICOLON = String.raw`${NO_MARKER}[^;\s"'](?:(?:[^;\r\n"\\]|\\[^;\r\n]){0,254}(?:[^;\s"\\]|\\(?!["'])[^;\s]|\\(?=\s*;)))?(?=\s*(;))`;
/** Ending in `=` and a quoted string, which it takes too. */
const WITH_QUOTED_END = String.raw`${NO_MARKER}[^;\s"](?:(?!${NEXT_FIELD})[^;\r\n"]){0,254}=\s*(?:"(?![,:}\]])[^"\r\n]*"|'(?![,:}\]])[^'\r\n]*'|${ESCAPED_QUOTED})`;
/**
 * To the line end, a closing quote (escaped or not, at any depth) or the next field. A run of
 * backslashes is read whole with the character after it, so the value never ends inside one; a run
 * may end it before a space or the line end.
 */
const TO_LINE_END = String.raw`${NO_MARKER}(?:[^;\s"\\]|\\+[^;\s"\\])(?:(?:(?!${NEXT_FIELD})(?:[^;\r\n"\\]|\\+[^;\r\n"\\])){0,254}(?:[^;\s"\\]|\\+[^;\s"\\]|\\+(?=\s|$)))?(?=\s*\\*(?:\r|\n|$)|\s*\\*["']|${NEXT_FIELD})`;
/**
 * A value in double quotes holding doubled ones, as ADO.NET quotes a value with `;` or `"` in it
 * (`Password="ab""cd";`), also as a JSON string (`\"ab\"\"cd\"`): read whole, each doubled quote
 * a character of it, to a quote before a space, punctuation or the end.
 */
const DOUBLED_QUOTES = String.raw`"(?=[^"\r\n]*"")(?:[^"\r\n]|""){1,512}"(?=[\s;,)\]}]|$)|\\"(?=[^"\\\r\n]*\\"\\")(?:[^"\\\r\n]|\\"\\"){1,512}\\"(?=[\s;,)\]}"]|\\[nrt]|$)`;
/**
 * A quoted value, not JSON punctuation between two strings (`Pwd=","n":1`: the end of a JSON
 * string); empty only where the value ends (`Password='';`, `password='').cursor()`), not a doubled
 * quote opening a password (`''pw''`, `'')pw''`: a quote follows in the same word). One that ends in a secret field's `=` takes the word after it too (`Password=' Password='…'`).
 */
const QUOTED = String.raw`(?:${DOUBLED_QUOTES}|${doubleQuoted("+")}|${apostrophesWithEscapes("+")}|'${notJsonPunctuation("'")}${IN_APOSTROPHES}+'|""(?=[\s;,]|$|[)\]}](?![^"\s]*"))|''(?=[\s;,]|$|[)\]}](?![^'\s]*')))(?:(?<=${SECRET_NAME}\s*=\s*["'])(?!${SECRET_NAME}\s*[:=])${BARE}+)?`;
/**
 * A quote never closed (a value cut short by a length cap, say): to the line end; an apostrophe
 * not past a `"` (JSON's), and not a quote before a space or `,:}]` (`{"e":"missing Password="}`).
 */
const UNCLOSED = String.raw`"(?![\s,:}\]])[^"\r\n]{1,256}(?=[\r\n]|$)|'(?![\s,:}\]])[^'"\r\n]{1,256}(?=[\r\n]|$)`;
/** A bracketed word (`Password=[hunter2]`) in a line too long to take to its end; not a marker. */
const BRACKETED = String.raw`${NO_MARKER}\[[^[\]\s;"']{1,254}\](?=[\s,;"'})\]]|$)`;
const CONNECTION_STRING_FIELD = new RegExp(
  String.raw`(;(?<=\w\s*=[^;\r\n]{0,256};)[ \t]*)?\b(${FIELD_NAMES})(\s*=(?!>)\s*(?:${LITERAL_PREFIX})?)(?!${POWERSHELL_CALL}|"${MARKER}"|'${MARKER}'|\\*"${SECRET_NAME}\\*"\s*[:=]|'${SECRET_NAME}'\s*[:=]|${CLOSING_QUOTE})(${QUOTED}|${ESCAPED_QUOTED}|${TO_SEMICOLON}|${WITH_QUOTED_END}|${TO_LINE_END}|${UNCLOSED}|${BRACKETED}|(?:\\+["'](?![,:}\]]))?(?:(?!${NEXT_FIELD})(?:[^;\s"'[\]\\]|\\+[^;\s"'\\]))+)`,
  "gi",
);

/** A value's opening quote: `"`, `'`, or an escaped `"` at any depth (a connection string's values are not in backticks). */
const OPENING_QUOTE = /^(?:\\*"|')/;
/** The same, or a backtick: the quotes a secret field's or an option's value is kept in. */
const OPENING_QUOTE_OR_BACKTICK = /^(?:\\*"|'|`)/;

/** A query's placeholder as a field's value, a comma, a parenthesis or the code's closing quote after it: by order (`?`, `%s`), by number (`$2`), by name (`%(password)s`). */
const SQL_PLACEHOLDER_VALUE = /^(?:\?|\$[1-9]\d{0,3}|%s|%\([a-z_]{1,64}\)s)(?:\\*["'`])?[,)]?$/;
/** A placeholder a framework writes for a filtered value (`[FILTERED]`, Rails), then what ends a value. */
const PLACEHOLDER = /^\[(?:FILTERED|REDACTED|MASKED|HIDDEN|REMOVED|OMITTED|SANITIZED)\](?=$|[\s&"',])/;

function connectionStringField(match: string, groups: readonly (string | undefined)[], followed = ""): string {
  const [before = "", name = "", equals = "=", value = "", after] = groups;
  // A literal's prefix (`Password = @"…"`, `b"…"`) goes with the literal it starts, so the marker never follows it.
  const prefix = literalPrefixOf(equals);
  if (interpolationOnly(prefix, value)) return match;
  const separator = equals.slice(0, equals.length - prefix.length);
  const placeholder = PLACEHOLDER.exec(value)?.[0];
  const afterPlaceholder = value.slice(placeholder?.length ?? 0);
  // Nothing to redact, the rest of the match scanned for further fields; but words after it in a
  // value taken whole (`Password=[FILTERED] hunter2;`) are the password.
  if (placeholder !== undefined && (!/^\s/.test(afterPlaceholder) || (before === "" && after === undefined))) {
    return `${before}${name}${equals}${placeholder}${restOfField(afterPlaceholder)}`;
  }
  const inConnectionString = before !== "" || after !== undefined;
  // A query's placeholder (`SET password = ?, …`, `password = $1`, `%s`): the value is bound
  // elsewhere (SQL_UPDATE reads it there). Not in a connection string, whose value is taken whole.
  const placeholderWord = /^\S+/.exec(value)?.[0] ?? "";
  if (!inConnectionString && SQL_PLACEHOLDER_VALUE.test(placeholderWord)) return `${before}${name}${equals}${placeholderWord}${restOfField(value.slice(placeholderWord.length))}`;
  // Outside a connection string, a value that starts with another secret field and its value
  // (`Password= client_secret: …`, `Pwd= Password=\"…\"`) goes to the end of that value, and the
  // rest is scanned for further fields.
  const quoted = OPENING_QUOTE.test(value);
  // Code's call, the value cut at its argument's quote (`password = os.getenv("DB_PASSWORD")`): no password; SECRET_DEFAULT sees a default.
  if (!inConnectionString && codeCall(value, followed)) return `${before}${name}${equals}${value}`;
  if (!inConnectionString && !quoted) {
    // Names alone: the value lies past this match (`Pwd= Password=\"…\"` stops at the quote), left to the scanners that see it.
    if (SECRET_NAME_ONLY.test(value)) return `${before}${name}${equals}${value}`;
    const field = SECRET_FIELD_FIRST.exec(value)?.[0];
    if (field !== undefined) return `${before}${name}${separator}${marker("connection_string")}${restOfField(value.slice(field.length))}`;
  }
  const spaced = /\s/.test(value) && !quoted;
  if (!spaced || inConnectionString) return `${before}${name}${separator}${marker("connection_string")}`;
  const firstWord = /^\S+/.exec(value)?.[0] ?? value;
  return `${before}${name}${separator}${marker("connection_string")}${restOfField(value.slice(firstWord.length))}`;
}

/** The rest of a match not redacted: this match took it, so this pattern would not see a field in it otherwise. */
function restOfField(rest: string): string {
  return rest.replace(CONNECTION_STRING_FIELD, (...args: unknown[]) => connectionStringField(String(args[0]), captures(args)));
}

/** How much of the text after a match a replacement is shown. */
const AFTER_LENGTH = 64;

/** Where a match is, from String.prototype.replace's callback arguments (…, offset, string): its offset and the whole input. */
function matchPlace(args: readonly unknown[]): { offset: number; input: string } | undefined {
  const at = args.findIndex((arg) => typeof arg === "number");
  const offset = args[at];
  const input = args[at + 1];
  return typeof offset === "number" && typeof input === "string" ? { offset, input } : undefined;
}

/** The text after a match, up to AFTER_LENGTH characters. */
function textAfter(args: readonly unknown[], length: number): string {
  const place = matchPlace(args);
  return place === undefined ? "" : place.input.slice(place.offset + length, place.offset + length + AFTER_LENGTH);
}

/** How much of the text before a match a replacement may ask for. */
const BEFORE_LENGTH = 256;

/** The text before a match, up to BEFORE_LENGTH characters. */
function textBefore(args: readonly unknown[]): string {
  const place = matchPlace(args);
  return place === undefined ? "" : place.input.slice(Math.max(0, place.offset - BEFORE_LENGTH), place.offset);
}

/** The part of `before` on the match's line, and of `after` (JSON's escaped line breaks end a line too). */
const LINE_BREAK = /[\r\n]|\\[nr]/;
const lineBefore = (before: string): string => before.split(LINE_BREAK).at(-1) ?? "";
const lineAfter = (after: string): string => after.split(LINE_BREAK, 1)[0] ?? "";

/** The capture groups of a replace() callback's arguments: after the match, up to the offset (a number). */
function captures(args: readonly unknown[]): (string | undefined)[] {
  const groups: (string | undefined)[] = [];
  for (let i = 1; i < args.length && typeof args[i] !== "number"; i++) {
    const group = args[i];
    groups.push(typeof group === "string" ? group : undefined);
  }
  return groups;
}

/**
 * The cards in a run of digits and single separators: the whole run when it holds 13–19 digits
 * that pass isLuhnCard, however grouped: issuers are many (NAPAS 9704, Shetab 6104, Belkart 9112
 * …) and a leaked card costs more than a redacted id. Else, so a card written next to other
 * numbers (`status 1 4111 1111 1111 1111`, `9704 0000 0000 0018 2025`) is found, every stretch of
 * its groups (split at the separators) that is written as a card is (cardShaped) and passes
 * isLuhnCard when it starts or ends the run, isCardNumberDigits (the issuer prefix too) when
 * other numbers lie on both sides, as the stretches tried there are many. Stretches that share a
 * group are redacted together, so a false one next to a real card cannot leave part of the card
 * behind. `afterWord`: the run follows a word and a dash (`job-1712345678915`), so it may end an
 * identifier, and the issuer prefix is checked for its start too. Undefined when there is none.
 */
function cardsInRun(run: string, afterWord: boolean): string | undefined {
  const digits = run.replace(/[ -]/g, "");
  if (digits.length <= 19 && (afterWord ? isCardNumberDigits(digits) : isLuhnCard(digits))) return marker("card_number");
  // Groups at even indexes, the separator after each at the odd ones.
  const parts = run.split(/(?<=\d)(?=[ -])|(?<=[ -])(?=\d)/);
  const groups = parts.filter((_, index) => index % 2 === 0);
  const separators = parts.filter((_, index) => index % 2 === 1);
  // Stretches [first, last] as found (by first group), merged where they share a group.
  const stretches: [number, number][] = [];
  for (let i = 0; i < groups.length; i++) {
    let length = 0;
    for (let j = i; j < groups.length && length <= 19; j++) {
      length += (groups[j] ?? "").length;
      if (length < 13 || length > 19 || !cardShaped(groups, separators, i, j)) continue;
      const stretch = groups.slice(i, j + 1).join("");
      // A stretch from the run's start after a word and a dash is that identifier's end: never at an end.
      const atAnEnd = i === 0 ? !afterWord : j === groups.length - 1;
      if (!(atAnEnd ? isLuhnCard(stretch) : isCardNumberDigits(stretch))) continue;
      const previous = stretches[stretches.length - 1];
      if (previous !== undefined && i <= previous[1]) previous[1] = Math.max(previous[1], j);
      else stretches.push([i, j]);
    }
  }
  if (stretches.length === 0) return undefined;
  let out = "";
  let next = 0;
  for (const [first, last] of stretches) {
    for (let i = next; i < first; i++) out += (groups[i] ?? "") + (separators[i] ?? "");
    out += marker("card_number") + (separators[last] ?? "");
    next = last + 1;
  }
  for (let i = next; i < groups.length; i++) out += (groups[i] ?? "") + (separators[i] ?? "");
  return out;
}

/**
 * Whether groups first..last of a run are written as a card is: one group; or groups of four
 * but the last (one to four digits: 4-4-4-4, 4-4-4-1, 4-4-4-4-3), or 4-6-5 / 4-6-4 (Amex,
 * Diners), one separator throughout, and, written with spaces, neither ending in the first group
 * nor starting with the last group of a phone number or SSN written with dashes (`201` in
 * `4111 1111 1111 1111 201-010-0199`, `4008` in `555-010-4008 4111 1111 1111 1111`).
 * Lists of ids, ports and codes rarely are.
 */
function cardShaped(groups: readonly string[], separators: readonly string[], first: number, last: number): boolean {
  if (first === last) return true;
  const separator = separators[first];
  for (let k = first + 1; k < last; k++) if (separators[k] !== separator) return false;
  if (separator !== "-" && (dashedNumberFrom(groups, separators, last) || dashedNumberFrom(groups, separators, first - 2))) return false;
  const lengths = groups.slice(first, last + 1).map((group) => group.length);
  const end = lengths[lengths.length - 1] ?? 0;
  const fours = lengths.slice(0, -1).every((length) => length === 4) && end >= 1 && end <= 4;
  const amex = lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6 && (end === 5 || end === 4);
  return fours || amex;
}

/** Whether groups `first`..`first + 2` are joined by dashes as a phone number (3-3-4) or an SSN (3-2-4) is. */
function dashedNumberFrom(groups: readonly string[], separators: readonly string[], first: number): boolean {
  if (first < 0 || separators[first] !== "-" || separators[first + 1] !== "-") return false;
  const [a, b, c] = [groups[first] ?? "", groups[first + 1] ?? "", groups[first + 2] ?? ""];
  return a.length === 3 && (b.length === 3 || b.length === 2) && c.length === 4;
}

const SCANNERS: readonly Scanner[] = [
  {
    kind: "private_key",
    // An unterminated block (cut by truncation upstream) is redacted to the end of the text.
    pattern: /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g,
    worthTrying: (text) => text.includes("-----BEGIN "),
    replace: () => marker("private_key"),
  },
  {
    kind: "url_password",
    // A URL's userinfo: up to the last '@' before the path, as URL parsers read it, so the user may
    // be an email (`ftp://alice@example.com:pw@host`), and not past the end of a JSON string: a
    // double quote, or an escaped one before `,:}]` (JSON inside JSON). Characters a URL should
    // not hold there (`<>^{}|`, `\"`, `\`) do turn up in passwords. Taken whole when it holds a
    // password (a ':'); colons inside markers do not count, so scanning its own output finds
    // nothing more.
    pattern: /\b([A-Za-z][A-Za-z0-9+.:-]{0,31}):\/\/((?:[^\s/?#"\\]|\\(?!"[,:}\]])[^\s/?#@]|\\(?=@))*)@/g,
    worthTrying: (text) => text.includes("://"),
    replace: (_match, groups) => {
      const [scheme = "", userinfo = ""] = groups;
      if (!userinfo.replace(MARKERS, "").includes(":")) return undefined;
      const kind: ScannerKind = DATABASE_SCHEMES.has(scheme.toLowerCase()) ? "connection_string" : "url_password";
      return `${scheme}://${marker(kind)}@`;
    },
  },
  {
    kind: "api_token",
    pattern: DECLARED_DEFAULT,
    worthTrying: (text) => DECLARED_DEFAULT_HINT.test(text) && mentionsSecret(text),
    replace: (_match, groups) => secretLiteralReplacement(groups),
  },
  {
    kind: "api_token",
    pattern: SECRET_DEFAULT,
    worthTrying: (text) => /env|get|fetch|pop|config|\[/i.test(text) && mentionsSecret(text),
    replace: (_match, groups, after) => {
      // A call's default by its place is its last argument, a trailing comma after it too (boto's
      // `config.get('Credentials', 'gs_host', None)` names an option second); by its keyword, any.
      const before = groups[0] ?? "";
      if (/,\s*$/.test(before) && !/(?:default|fallback)\s*=\s*$/i.test(before) && !/^(?:\s|\\[nrt])*(?:,(?:\s|\\[nrt])*)?\)/.test(after)) return undefined;
      return secretLiteralReplacement(groups);
    },
  },
  {
    kind: "api_token",
    // GitHub Actions' workflow command that masks a secret in its logs (`echo "::add-mask::…"`): what it masks is one (not a variable, `$TOKEN`, `${{ … }}`, `%VAR%`).
    pattern: /(::add-mask::)(?![$%])([^\s"'\\]{1,512})/g,
    worthTrying: (text) => text.includes("::add-mask::"),
    replace: (_match, groups) => (groups[1]?.startsWith("[REDACTED:") ? undefined : `${groups[0] ?? ""}${marker("api_token")}`),
  },
  {
    kind: "api_token",
    // A secret type built from a literal (`SecretString::from("…")`, `SecretKey::from_str("…")`,
    // `ClientSecret::new("…".to_string())`, `PrivateKey::from_wif("…")`), whatever it is assigned to.
    pattern: SECRET_TYPE_LITERAL,
    worthTrying: (text) => text.includes("::") && /Secret|Password|Key/.test(text),
    replace: (_match, groups) => secretLiteralReplacement(groups),
  },
  {
    kind: "api_token",
    // Before the fields' rules, which take a call's name as a bare value and leave the literal to
    // SECRET_FIELD_CALL_LITERAL, and leave a short one (`Some(`) with what it wraps.
    pattern: WRAPPED_SECRET_LITERAL,
    worthTrying: (text) => text.includes("(") && mentionsSecret(text),
    // The literal is the value: a colon or a space in it is no prompt (`String::from("admin:…")`).
    replace: (_match, groups) => secretLiteralReplacement(groups),
  },
  {
    kind: "api_token",
    pattern: CONDITIONAL_SECRET_LITERAL,
    worthTrying: (text) => text.includes("?=") || text.includes("|="),
    replace: (_match, groups) => secretLiteralReplacement(groups),
  },
  {
    kind: "api_token",
    // Before the fields' rules too, which read a declaration's type as its value.
    pattern: TYPED_SECRET_LITERAL,
    worthTrying: (text) => LITERAL_AFTER_EQUALS.test(text) && mentionsSecret(text),
    replace: (_match, groups) => secretLiteralReplacement(groups),
  },
  {
    kind: "api_token",
    pattern: SECRET_NAMED_PAIR,
    worthTrying: (text) => text.includes("[") && mentionsSecret(text),
    replace: (_match, groups) => secretLiteralReplacement(groups),
  },
  {
    kind: "api_token",
    // SQL's INSERT: the values under a secret's column, inline or bound. Before the fields' and the
    // lists' rules, which would read `password) VALUES (` or a parameters' list as something else.
    pattern: SQL_INSERT,
    worthTrying: (text) => /insert|replace/i.test(text) && /values?\b/i.test(text) && mentionsSecret(text),
    replace: (match, groups, rest, before) => {
      const [columns = "", after = ""] = groups;
      return withTail(match, after, takeInsertedSecrets(columns, after, sqlReading(before()), rest === ""));
    },
  },
  {
    kind: "api_token",
    // SQL's UPDATE: a value assigned to a secret's column, inline or bound.
    pattern: SQL_UPDATE,
    worthTrying: (text) => /update/i.test(text) && /\bset\s/i.test(text) && mentionsSecret(text),
    replace: (match, groups, _after, before) => {
      const [after = ""] = groups;
      return withTail(match, after, takeUpdatedSecrets(after, sqlReading(before())));
    },
  },
  {
    kind: "api_token",
    // SQL's WHERE: a bound parameter compared with a secret's column (a session's or an API key's lookup).
    pattern: SQL_WHERE,
    worthTrying: (text) => /\bwhere\s/i.test(text) && mentionsSecret(text),
    replace: (match, groups, _after, before) => {
      const [after = ""] = groups;
      return withTail(match, after, takeComparedSecrets(after, sqlReading(before())));
    },
  },
  {
    kind: "api_token",
    // A list under a secret's name or its plural: each item of six characters or more. Before the
    // connection string's fields, which would take `password = [` as far as the `[`.
    pattern: SECRET_LIST,
    worthTrying: (text) => LIST_OPENING.test(text) && mentionsSecret(text),
    replace: (_match, groups, textAfter) => {
      const [before = "", list = "", next = ""] = groups;
      const name = listName(before);
      if (NOT_SECRET_LIST_NAME.test(name)) return undefined;
      const ended = LIST_END.test(next) || (LOGFMT_LIST_OPENED.test(before) && LOGFMT_NEXT_FIELD.test(textAfter)) || (GO_LIST_OPENED.test(before) && GO_NEXT_FIELD.test(textAfter));
      return before + secretListItems(name, list, ASSIGNED_LIST.test(before), ended);
    },
  },
  {
    kind: "api_token",
    pattern: SECRET_YAML_LIST,
    worthTrying: (text) => YAML_ITEM_START.test(text) && mentionsSecret(text),
    replace: (_match, groups) => {
      const [before = "", items = ""] = groups;
      if (NOT_SECRET_LIST_NAME.test(listName(before))) return undefined;
      return before + items.replace(/[^\n]*(?:\n|$)/g, (line: string) => (line === "" ? line : yamlSecretItem(line)));
    },
  },
  {
    kind: "connection_string",
    pattern: CONNECTION_STRING_FIELD,
    worthTrying: (text) => text.includes("="),
    replace: connectionStringField,
  },
  {
    kind: "connection_string",
    pattern: DASH_P_PASSWORD,
    worthTrying: (text) => text.includes("-p") && /mysql|mariadb|sshpass/i.test(text),
    replace: (match, groups, after) => (OPTION_PLACEHOLDER.test(unquoted(groups[1] ?? "")) && !cutAtLineBreak(groups[1] ?? "", after) ? match : `${groups[0] ?? ""}${quotedMarker(groups[1] ?? "", "connection_string")}`),
  },
  {
    kind: "api_token",
    pattern: TOOL_SECRET_OPTION,
    worthTrying: (text) => TOOL_NAME_ANYWHERE.test(text),
    replace: (match, groups, after) => {
      const [prefix = "", value = ""] = groups;
      const bare = unquoted(value);
      if (!cutAtLineBreak(value, after) && namesNoPassword(bare)) return match;
      return `${prefix}${quotedMarker(value, toolSecretKind(prefix))}`;
    },
  },
  {
    kind: "api_token",
    pattern: HTTP_CLIENT_AUTH,
    worthTrying: (text) => /-(?:a|A|P|-auth|-bearer)/.test(text) && HTTP_CLIENT_ANYWHERE.test(text),
    replace: (match, groups, after, before) => {
      const [prefix = "", value = ""] = groups;
      if (!cutAtLineBreak(value, after) && namesNoPassword(unquoted(value))) return match;
      // `--auth` with no user before the value: a token only where the command line says bearer.
      if (/(?:-a|--auth)(?:[ \t]+|=|["'],[ \t]*["'])$/.test(prefix) && !AUTH_TYPE_BEARER.test(`${lineBefore(before())}${prefix}${value}${lineAfter(after)}`)) return match;
      return `${prefix}${quotedMarker(value, "api_token")}`;
    },
  },
  {
    kind: "api_token",
    pattern: POSITIONAL_PASSWORD,
    worthTrying: (text) => /password|htpasswd|net(?:\.exe)?[ \t]+use/i.test(text) && /machine|default|net|htpasswd/i.test(text),
    replace: (match, groups) => {
      const [before = "", value = ""] = groups;
      const text = unquoted(value);
      // A template's expression (`{self.password}`) or a batch file's delayed variable (`!PASSWORD!`) is none either.
      if (standsForPassword(text) || text.startsWith("{") || /^!\w+!$/.test(text)) return undefined;
      return `${before}${quotedMarker(value, "api_token")}`;
    },
  },
  {
    kind: "api_token",
    pattern: PIPED_PASSWORD,
    worthTrying: (text) => /\||<<</.test(text) && /-[A-Za-z]*S|chpasswd|--stdin|--password-stdin|--with-token/.test(text),
    replace: (match, groups, after) => {
      const [before = "", , value = ""] = groups;
      const text = unquoted(value);
      // chpasswd reads `user:password`: the user stays (an email's marker too).
      const user = /chpasswd/.test(match) || /^[ \t\\\r\n]*\|[ \t\\\r\n]*(?:sudo[ \t]+)?(?:[\w.-]*\/)*chpasswd/.test(after) ? (/^(?:\[REDACTED:[a-z_]+\]|[^:\s[]){1,64}:/.exec(text)?.[0] ?? "") : "";
      const secret = text.slice(user.length);
      if (secret === "" || standsForPassword(secret)) return undefined;
      const quote = openingQuoteOf(value);
      return `${before}${quote}${user}${marker("api_token")}${quote}`;
    },
  },
  {
    kind: "api_token",
    pattern: PIPED_SECURE_STRING,
    worthTrying: (text) => /securestring/i.test(text),
    replace: (match, groups) => {
      const [quote = "", text = ""] = groups;
      return namesNoPassword(text) ? match : `${quote}${marker("api_token")}${quote}`;
    },
  },
  {
    kind: "api_token",
    pattern: NETWORK_CREDENTIAL,
    worthTrying: (text) => text.includes("NetworkCredential"),
    replace: (match, groups) => {
      const [prefix = "", , quote = "", text = ""] = groups;
      // An interpolated string with an expression (`$"{cfg["pw"]}"`) is code, not the password.
      const interpolated = prefix.endsWith("$") && text.includes("{");
      return interpolated || namesNoPassword(text) ? match : `${prefix}${quote}${marker("api_token")}${quote}`;
    },
  },
  {
    kind: "api_token",
    pattern: CREDENTIAL_CALL,
    // The call's words first, then CREDENTIAL_CALL_COMMA (or a call whose key is its first argument).
    worthTrying: (text) => /[Aa]uth|login|UserPassword|getConnection|FTP|connect|Credential|add_password|PDO|mysqli|set_password|setPassword|KeyVaultSecret/.test(text) && (CREDENTIAL_CALL_COMMA.test(text) || /Azure(?:Key|SAS)Credential/.test(text)),
    replace: (match, groups) => {
      const [prefix = "", quote = "", text = ""] = groups;
      // A list under `auth` may be of schemes or strategies (`auth: ['jwt', 'session']`), and `login`, `.auth` and a bare `BasicAuth` name other things too
      // (`page.login("Login", "Submit")`, `server.auth('session', 'required')`, `BasicAuth('realm', 'Restricted')`): there a password's shape or a symbol too.
      if (callPasswordIsNone(prefix, text) || CALL_WORD.test(text.toLowerCase()) || /^[A-Z][a-z]+$|^[#.][\w-]+$/.test(text) || ((AUTH_LIST.test(prefix) || GENERIC_CREDENTIAL_CALL.test(prefix)) && !passwordShaped(text) && !/[^\w\s]/.test(text))) return match;
      return `${prefix}${quote}${marker("api_token")}${quote}`;
    },
  },
  {
    kind: "api_token",
    pattern: USER_PASSWORD_STRING,
    worthTrying: (text) => text.includes(":") && (text.includes("auth") || text.includes("64") || text.includes("USERPWD") || text.includes("btoa") || text.includes("Buffer")),
    replace: (match, groups) => {
      const [prefix = "", quote = "", user = "", text = ""] = groups;
      if (callPasswordIsNone(prefix, text) || NOT_A_USER.test(user.slice(0, -1)) || HASH_NAME.test(user.slice(0, -1)) || /;base64,/.test(text) || (!BASIC_AUTH_BUILDER.test(prefix) && !passwordShaped(text))) return match;
      return `${prefix}${quote}${user}${marker("api_token")}${quote}`;
    },
  },
  {
    kind: "basic_credential",
    pattern: ENCODED_AUTH,
    worthTrying: (text) => text.includes("auth"),
    replace: (match, groups) => {
      const [prefix = "", quote = "", encoded = ""] = groups;
      // Docker's and npm's are padded: a word of eight letters (`"auth": "required"`) is none.
      return encoded.length % 4 === 0 && isBasicCredential(encoded) ? `${prefix}${quote}${marker("basic_credential")}` : match;
    },
  },
  {
    kind: "jwt",
    // From a word's start, or glued to a one-letter option (`-peyJ…`). Also one the text's end cuts
    // off before its signature (a long token in a text cut to a length): its claims are there.
    pattern: /(?:\b|(?<=(?:^|\s)-[A-Za-z]))eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}|$)/g,
    worthTrying: (text) => text.includes("eyJ"),
    replace: () => marker("jwt"),
  },
  {
    kind: "bearer_credential",
    // Secret fields where the token goes (`Bearer client_secret: …`) are taken with their value.
    pattern: new RegExp(String.raw`\b(Bearer)\s+(?:(?:${SECRET_NAME_AND_SEPARATOR}){1,16}(?!\\*["']?\[REDACTED:|Bearer\s)(?:${SECRET_VALUE})|[A-Za-z0-9\-._~+/]{8,}=*)`, "gi"),
    worthTrying: (text) => /bearer/i.test(text),
    replace: (_match, groups) => `${groups[0] ?? "Bearer"} ${marker("bearer_credential")}`,
  },
  {
    kind: "api_token",
    pattern: AUTHORIZATION_HEADER,
    worthTrying: (text) => /authorization/i.test(text),
    replace: (_match, groups, after) => {
      const [prefix = "", scheme = "", credential = ""] = groups;
      if (!credentialLike(credential) || NOT_A_TOKEN.test(credential)) return undefined;
      // With no scheme, a token of 16 characters or more with digits, as a header's value: not a scheme's name or a property's path in code.
      if (scheme === "" && (PAIR_WITHOUT_VALUE_KEY.test(prefix) || credential.length < 16 || !hasDigit(credential) || SCHEME_NAME.test(credential) || PROPERTY_PATH.test(credential) || MARKER_AFTER.test(after))) return undefined;
      return `${prefix}${scheme}${marker("api_token")}`;
    },
  },
  {
    kind: "basic_credential",
    pattern: /\b(Basic)\s+([A-Za-z0-9+/]{4,}={0,2})/gi,
    worthTrying: (text) => /basic/i.test(text),
    replace: (_match, groups) => (isBasicCredential(groups[1] ?? "") ? `${groups[0] ?? "Basic"} ${marker("basic_credential")}` : undefined),
  },
  {
    kind: "cloud_access_key",
    // AWS access key ids, and the secret access key written right after its id (a CSV of new
    // keys, `Credentials('AKIA…', '…')`, `Secret access key: …`); GCP API keys; the signature of
    // an Azure SAS; and a signed URL's signature (S3's `X-Amz-Signature` and older `Signature`,
    // Google Cloud Storage's `X-Goog-Signature`, CloudFront's `Signature`), which grants what the
    // URL names until it expires.
    pattern: new RegExp(
      String.raw`(?:\b|(?<=\\[nrt]))(?:(${AWS_KEY_ID})(${AWS_KEY_PAIR_SEPARATOR})([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])|(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}\b|AIza[0-9A-Za-z_-]{35}|(sig=)[A-Za-z0-9%+/=_-]{10,}|((?<=[?&;])(?:[Xx]-(?:[Aa][Mm][Zz]|[Gg][Oo][Oo][Gg])-)?[Ss][Ii][Gg][Nn][Aa][Tt][Uu][Rr][Ee]=)([A-Za-z0-9%+/=_~-]{16,}))`,
      "g",
    ),
    worthTrying: (text) => text.includes("AKIA") || text.includes("ASIA") || text.includes("AIza") || text.includes("sig=") || text.includes("IGNATURE=") || text.includes("ignature=") || /\bA[GIRNBC][A-Z]A[A-Z0-9]{16}/.test(text),
    replace: (_match, groups) => {
      const [keyId, separator, secret, sas, signed, signature] = groups;
      if (keyId !== undefined) return `${marker("cloud_access_key")}${separator ?? ""}${AWS_SECRET_KEY.test(secret ?? "") ? marker("cloud_access_key") : (secret ?? "")}`;
      // A signature has digits; a word does not (`?signature=required`, `required-but-missing-2024`).
      if (signed !== undefined) return hasDigit(signature ?? "") && !wordyName(signature ?? "") ? `${signed}${marker("cloud_access_key")}` : undefined;
      return `${sas ?? ""}${marker("cloud_access_key")}`;
    },
  },
  {
    kind: "api_token",
    pattern: SERVICE_TOKEN,
    worthTrying: (text) => SERVICE_TOKEN_PREFIX.test(text),
    replace: () => marker("api_token"),
  },
  {
    kind: "api_token",
    pattern: COOKIE_HEADER,
    worthTrying: (text) => /cookie|[ \t]-b[ \t]/i.test(text),
    replace: (match, groups) => {
      const [header = "", value = ""] = groups;
      const redacted = cookieValues(value);
      return redacted === value ? match : `${header}${redacted}`;
    },
  },
  {
    kind: "api_token",
    pattern: CODE_PARAMETER,
    worthTrying: (text) => text.includes("code="),
    replace: (match, groups) => {
      if (/%(?:20|7B|7D|0A)/i.test(match) || (/[/+]/.test(match) && !CODE_WITH_SLASH.test(match))) return undefined;
      if (match.length >= 40) return hasDigit(match) && /[A-Za-z]/.test(match) ? marker("api_token") : undefined;
      const state = groups[0] ?? groups[1];
      return state !== undefined && !NOT_OAUTH_STATE.test(state) && credentialLike(match) ? marker("api_token") : undefined;
    },
  },
  {
    kind: "connection_string",
    pattern: REDIS_PASSWORD,
    worthTrying: (text) => protocolWords(text) && /requirepass|masterauth|AUTH/i.test(text),
    replace: (match, groups) => {
      const [prefix = "", , , backslashes = "", plain, escaped, bare] = groups;
      const text = plain ?? escaped ?? bare ?? "";
      if (standsForPassword(text)) return match;
      return bare !== undefined ? `${prefix}${marker("connection_string")}` : `${prefix}${backslashes}"${marker("connection_string")}${backslashes}"`;
    },
  },
  {
    kind: "connection_string",
    pattern: REDIS_ACL,
    worthTrying: (text) => protocolWords(text) && text.includes(">") && /user/i.test(text),
    replace: (match, groups) => {
      const [user = "", rules = ""] = groups;
      // An ACL file's line has a rule besides its passwords (`on`, a pattern): `user list >users.txt` is a shell's.
      if (!/^\s*ACL/i.test(user) && !ACL_RULE.test(rules)) return match;
      const redacted = rules.replace(ACL_PASSWORD, (password) => (standsForPassword(password.slice(1)) ? password : `>${marker("connection_string")}`));
      return redacted === rules ? match : `${user}${redacted}`;
    },
  },
  {
    kind: "connection_string",
    pattern: PGPASS_LINE,
    worthTrying: (text) => protocolWords(text) && /:(?:\d{1,5}|\*):/.test(text),
    replace: (match, groups) => {
      const [prefix = "", host = "", database = "", user = "", password = ""] = groups;
      // A password's shape or a symbol: a config's word (`trust`, `md5`) is none.
      if (!PGPASS_HOST.test(host) || !PGPASS_NAME.test(database) || !PGPASS_NAME.test(user) || namesNoPassword(password) || (!passwordShaped(password) && !/[^\w\\]/.test(password))) return match;
      return `${prefix}${marker("connection_string")}`;
    },
  },
  {
    kind: "api_token",
    pattern: IMAP_LOGIN,
    worthTrying: (text) => text.includes("LOGIN"),
    replace: (match, groups) => {
      const [prefix = "", backslashes = "", plain, escaped, bare] = groups;
      const text = plain ?? escaped ?? bare ?? "";
      if (namesNoPassword(text) || text.startsWith("[REDACTED:")) return match;
      return bare === undefined ? `${prefix}${backslashes}"${marker("api_token")}${backslashes}"` : `${prefix}${marker("api_token")}`;
    },
  },
  {
    kind: "api_token",
    pattern: PASS_COMMAND,
    worthTrying: (text) => text.includes("PASS "),
    replace: (match, groups) => {
      const [prefix = "", password = ""] = groups;
      if (namesNoPassword(password) || password.startsWith("[REDACTED:") || /^\*+$/.test(password) || (!PROTOCOL_DEBUG.test(prefix) && (!passwordShaped(password) || NOT_A_PASS_ARGUMENT.test(password)))) return match;
      return `${prefix}${marker("api_token")}`;
    },
  },
  {
    kind: "basic_credential",
    pattern: SMTP_AUTH,
    worthTrying: (text) => text.includes("AUTH PLAIN") || text.includes("UGFzc3dvcmQ6"),
    replace: (match, groups) => {
      const [prefix = "", encoded = ""] = groups;
      const decoded = Buffer.from(encoded, "base64").toString("utf8");
      // PLAIN's response holds its NUL separators; LOGIN's answer is the password alone, printable.
      const credential = prefix.startsWith("UGFz") ? decoded.length > 0 && !BASIC_UNPRINTABLE.test(decoded) : decoded.includes("\0") && !decoded.includes("\ufffd");
      return credential ? `${prefix}${marker("basic_credential")}` : match;
    },
  },
  {
    kind: "connection_string",
    pattern: ORACLE_LOGON,
    worthTrying: (text) => protocolWords(text) && text.includes("/") && ORACLE_WORDS.test(text),
    replace: (match, groups, after) => {
      const [prefix = "", password = ""] = groups;
      // Unquoted, a shell's operator, a backtick or a subshell's closing parenthesis ends the command and the password (`scott/…|tee log`, `` `sqlplus -s scott/…` ``); quoted, it is part of it.
      const quoted = ORACLE_QUOTED_USER.test(prefix);
      // sqlldr's parameters follow a comma (`USERID=scott/…,CONTROL=x.ctl`); before `@` an operator is the password's (`scott/Fake&Pw1@orcl`).
      // Unquoted, a list's `,` or `]` ends it too (Java's `[sqlplus, -S, scott/…]`), and so does the punctuation ending a sentence or a clause.
      let cut = quoted || after.startsWith("@") ? password.search(/,(?=\w+=)/) : password.search(/[|;&<>`]|\)(?=[|;&<>`)]|$)|,(?=\w+=|[ \t]|$)|\](?=[\s,:;)]|$)/);
      if (!quoted && !after.startsWith("@")) {
        const kept = cut < 0 ? password : password.slice(0, cut);
        const trailing = /[.,:;]+$/.exec(kept)?.[0];
        if (trailing !== undefined && trailing.length < kept.length && (cut >= 0 || /^(?:\s|$)/.test(after))) cut = kept.length - trailing.length;
      }
      const value = cut < 0 ? password : password.slice(0, cut);
      const following = `${cut < 0 ? "" : password.slice(cut)}${after}`;
      // CONNECT without SQL*Plus's prompt only before `@` and a database: `Connect press/release events` is prose.
      const prose = CONNECT_BEFORE.test(prefix) && !/[A-Z]>/i.test(prefix) && !following.startsWith("@");
      // RMAN's keyword is no user (`rman target/catalog`).
      // exp's and imp's names are words too (`the exp a/b ratio`): a logon after them only before `@` or a parameter (`exp scott/… file=x.dmp`).
      const word = EXP_IMP_LOGON.test(prefix) && !/^\\*["']?@/.test(following) && !ORACLE_COMMAND_AFTER.test(following);
      const notLogon = word || RMAN_KEYWORD_AS_USER.test(prefix) || !oracleLogon(value, following, prefix, quoted);
      if (value === "" || prose || notLogon || standsForPassword(value)) return match;
      return `${prefix}${marker("connection_string")}${following.slice(0, following.length - after.length)}`;
    },
  },
  {
    kind: "api_token",
    pattern: PASS_OPTION,
    worthTrying: (text) => text.includes("--pass"),
    replace: (match, groups) => {
      const [option = "", quote = "", quoted, bare] = groups;
      const value = quoted ?? bare ?? "";
      return placeholderOrMarked(value) || !passwordShaped(value) || TALLY.test(value) || NOT_A_TOKEN.test(value) ? match : `${option}${quote}${marker("api_token")}${quote}`;
    },
  },
  {
    kind: "api_token",
    pattern: WEBHOOK_URL_SECRET,
    worthTrying: (text) => /hooks\.slack\.com|webhooks?\/|\/bot\d|webhookb2|\/hooks\//i.test(text),
    replace: (_match, groups) => `${groups.find((group) => group !== undefined) ?? ""}${marker("api_token")}`,
  },
  {
    kind: "api_token",
    pattern: XML_SECRET_ELEMENT,
    worthTrying: (text) => text.includes("<") && mentionsSecret(text),
    replace: (_match, groups) => {
      const [elementBefore, , elementText, nameBefore, , nameText] = groups;
      return xmlReplacement(elementBefore ?? nameBefore ?? "", elementText ?? nameText ?? "");
    },
  },
  {
    kind: "api_token",
    pattern: XML_NAMED_VALUE,
    worthTrying: (text) => text.includes("<") && mentionsSecret(text),
    replace: (_match, groups) => {
      const [element = "", before = "", attribute = "", , , value = ""] = groups;
      const asText = before.endsWith(">");
      if (asText && !xmlNamedText(element, attribute)) return undefined;
      return xmlReplacement(before, value, asText);
    },
  },
  {
    kind: "api_token",
    pattern: XML_VALUE_BEFORE_NAME,
    worthTrying: (text) => text.includes("<") && mentionsSecret(text),
    replace: (_match, groups) => {
      const [, before = "", , value = ""] = groups;
      return xmlReplacement(before, value);
    },
  },
  {
    kind: "api_token",
    pattern: SECRET_ASSIGNMENT,
    worthTrying: (text) => mentionsSecret(text) && ASSIGNMENT_SHAPE.test(text),
    // A setter's only argument: keyring's `set_password('service', 'user', …)` names a service first;
    // after a name, its last one (`set_password(service, 'user', …)` names a user).
    replace: (_match, groups, after, textBefore) => {
      const before = groups[0] ?? "";
      if (SETTER_OPENING_END.test(before) && SETTER_NEXT_ARGUMENT.test(after) && !TRAILING_COMMA.test(after)) return undefined;
      // After one argument: the last (a trailing comma or an options object after it too), not a user's name before a third.
      if (before.startsWith(",") && !SETTER_LAST_ARGUMENT_END.test(after) && SETTER_FIRST_ARGUMENT_END.test(textBefore())) return undefined;
      return secretLiteralReplacement(groups);
    },
  },
  {
    kind: "api_token",
    pattern: PRINT_R_SECRET,
    worthTrying: (text) => text.includes("] =>") && mentionsSecret(text),
    replace: (match, groups) => {
      const [before = "", value = ""] = groups;
      // As a secret field's value: six characters or more, no switch (`[has_token] => 1`); `$` is a hash's (`$2y$10$…`), not a variable's.
      return PRINT_R_NESTED.test(value) || value.length < 6 || NO_PASSWORD_VALUE.test(value) || placeholderOrMarked(value) ? match : `${before}${marker("api_token")}`;
    },
  },
  {
    kind: "api_token",
    // Generic `name=value` / `"name": "value"` assignments whose name says secret (SECRET_NAME). A
    // quoted value is taken whole, spaces included, unless it is already a marker (scanning stays
    // idempotent); a bare one runs to the next space or separator. Values under six characters are
    // left (error text like "password: too short" is not a secret). Escaped quotes count as quotes
    // (`\"db_password\":\"…\"`: JSON inside JSON, as container logs write it).
    pattern: SECRET_FIELD,
    worthTrying: (text) => (text.includes("=") || text.includes(":")) && mentionsSecret(text),
    replace: (_match, groups, after) => {
      const value = groups[1] ?? "";
      if (codeCall(value, after) || interpolationOnly(literalPrefixOf(groups[0] ?? ""), value)) return undefined;
      // A declaration with a type is code: its value is a secret when it is a literal, and code
      // otherwise when it reads as code (`password: str = Field(…)`), unless more secret fields follow
      // (`password: string = token = "…"`, taken as any value is); once its literal is taken, the
      // type before it is no value (`apiKey: string = "[REDACTED:…]"`).
      if (TYPED_SEPARATOR_END.test(groups[0] ?? "") && openingQuoteOf(value) === "" && CODE_VALUE.test(value) && !SECRET_FIELD_AHEAD_ANYWHERE.test(value)) return undefined;
      // `after` is at most AFTER_LENGTH characters already (textAfter).
      const ahead = value + after;
      if (TYPED_DECLARATION.test(ahead) || parameterType(groups[0] ?? "", ahead)) return undefined;
      const quote = openingQuoteOf(value);
      // Closed only by a quote of the same depth: `"token: \"…\"` ends in an escaped one, `"…\\"` does not.
      const closing = /\\*["'`]$/.exec(value)?.[0];
      const closed =
        quote !== "" &&
        value.length > quote.length &&
        closing !== undefined &&
        (quote === "'" || quote === "`" ? closing.endsWith(quote) : closing.endsWith('"') && quoteDepth(closing) === quoteDepth(quote));
      // The quotes stay, so JSON-like text stays JSON-like (escaped quotes too, at any depth of JSON inside JSON).
      return `${groups[0] ?? ""}${quote}${marker("api_token")}${closed ? quote : ""}`;
    },
  },
  {
    kind: "api_token",
    // A value that only starts a call (`Password: aws.String("…")`, Rust's `String::from("…")`,
    // Pulumi's `pulumi.String`) is taken up to its `(` above, which leaves the literal inside:
    // SECRET_FIELD_CALL_LITERAL takes it after the marker.
    pattern: SECRET_FIELD_CALL_LITERAL,
    worthTrying: (text) => text.includes("[REDACTED:"),
    replace: (_match, groups) => groups[0],
  },
  {
    kind: "api_token",
    // After the fields' rules, which take a concatenation's first literal.
    pattern: CONCATENATED_LITERAL,
    worthTrying: (text) => text.includes("[REDACTED:") && text.includes("+"),
    replace: (_match, groups) => {
      const [before = "", , literals = ""] = groups;
      const taken = concatenatedLiterals(literals);
      return taken === literals ? undefined : before + taken;
    },
  },
  {
    kind: "api_token",
    // Key names that also name ordinary things (a table's primary_key, a host_key algorithm): the
    // value is taken only when it looks like key material, 20+ base64/hex characters, as Azure's
    // primary_key/secondary_key and search query_key values do.
    pattern: /(?<![A-Za-z0-9])([A-Za-z0-9_-]{0,32}(?:primary|secondary|query|functions?|host|ssh|deploy)[_-]?key["']?\s*[:=]\s*["']?)([A-Za-z0-9+/_-]{20,}={0,2})(?![A-Za-z0-9+/_=-])/gi,
    worthTrying: (text) => (text.includes("=") || text.includes(":")) && /key/i.test(text),
    replace: (_match, groups) => `${groups[0] ?? ""}${marker("api_token")}`,
  },
  {
    kind: "api_token",
    pattern: SECRET_OPTION,
    worthTrying: (text) => text.includes("-") && mentionsSecret(text),
    replace: optionReplacement,
  },
  {
    kind: "api_token",
    pattern: URL_SECRET_PARAMETER,
    worthTrying: (text) => text.includes("=") && URL_SECRET_PARAMETER_NAME.test(text),
    replace: (_match, groups, after) => {
      const [before = "", queryName, wordName, quote, quoted, value] = groups;
      const name = (queryName ?? wordName ?? "").toLowerCase();
      // Only a password is quoted after its name (`PASS="…"`); a quote after `?session_id=` closes code's string.
      if (quoted !== undefined) return (name === "pass" || name === "pw") && passwordParameter(quoted, wordName !== undefined) ? `${before}${quote ?? ""}${marker("api_token")}${quote ?? ""}` : undefined;
      // Code, not a value: a call, a template's or a format's expression (`pw=getpwnam(user)`, `pass=${…}`, `pw=%(pw)s`).
      if (wordName !== undefined && /^[({[]/.test(after)) return undefined;
      return urlParameterIsSecret(name, value ?? "", wordName !== undefined) ? `${before}${marker("api_token")}` : undefined;
    },
  },
  {
    kind: "api_token",
    pattern: PASS_KEY,
    worthTrying: (text) => /pass|pw/i.test(text),
    replace: (_match, groups, _after, textBefore) => {
      const [keyBefore, , quote, quoted, yamlBefore, yamlBare, flowBefore, flowBare] = groups;
      return passKeyReplacement(keyBefore ?? yamlBefore ?? flowBefore ?? "", quote, quoted, yamlBare ?? flowBare, textBefore);
    },
  },
  {
    kind: "api_token",
    pattern: PROSE_PASSWORD,
    worthTrying: (text) => /passw(?:or)?d|passphrase|identified/i.test(text),
    replace: (_match, groups, after) => {
      const [before = "", quote, quoted, bare] = groups;
      return prosePasswordReplacement(before, quote, quoted, bare, after);
    },
  },
  {
    kind: "email",
    // Letters of any script on both sides of the @ (`josé@example.com`, `user@münchen.de`). Not
    // from the letter of an escape (`\nalice@…` in JSON): the marker would break the escape; nor
    // a percent escape before the address (`q=%27alice@…`, a quote encoded): the marker would take
    // the quote, which a decoded layer then lacks.
    pattern: /(?!(?<=\\)[nrtbf])(?<!%[0-9A-Fa-f]?)(?:[\p{L}\p{N}._+-]|%(?![0-9A-Fa-f]{2})){1,64}@(?:[\p{L}\p{N}-]{1,63}\.){1,8}\p{L}{2,24}(?![\p{L}\p{N}_])/gu,
    worthTrying: (text) => text.includes("@"),
    replace: () => marker("email"),
  },
  {
    kind: "card_number",
    // A run of digits with single spaces or dashes between, not inside a longer token (hex, a
    // dashed number); after a minus sign or a word and a dash too (`-4111…`, `order-4111…`). Not
    // a UUID's first three groups or its last two, when they are digits (`43563513-4327-4873-b1d7-…`,
    // `…-4e9c-8104-632471629285`, its variant 8 or 9 first, so a card's issuer prefix 3–6 there
    // is still read): 16 digits that read as a card in about one UUID in 40,000. A card after a
    // UUID, joined by a dash, is read still.
    // Which parts of the run are cards: cardsInRun.
    pattern: /(?:(?<![\dA-Za-z_-])|(?<=(?:^|[^\dA-Za-z_])-)|(?<=[A-Za-z_](-)))(?!\d{8}-\d{4}-\d{4}-[\dA-Fa-f]{4}-[\dA-Fa-f]{12}(?![\dA-Za-z_])|(?<=(?<![\dA-Za-z_])[\dA-Fa-f]{8}-[\dA-Fa-f]{4}-[\dA-Fa-f]{4}-)[89]\d{3}-\d{12}(?![\dA-Za-z_]|-\d))\d(?:[ -]?\d){12,}(?![\dA-Za-z_]|-\d)/g,
    worthTrying: hasDigit,
    replace: (match, groups) => cardsInRun(match, groups[0] !== undefined),
  },
  {
    kind: "national_id",
    // US SSN ddd-dd-dddd (dashes required; area 000, 666, 9xx and zero groups are never issued).
    pattern: /(?<![\dA-Za-z-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\dA-Za-z]|-\d)/g,
    worthTrying: (text) => text.includes("-"),
    replace: () => marker("national_id"),
  },
  {
    kind: "national_id",
    // UK National Insurance number: two letters (issued prefixes only), six digits, A–D suffix.
    pattern: /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
    worthTrying: hasDigit,
    replace: () => marker("national_id"),
  },
  {
    kind: "phone",
    // Heuristic: a number is a phone number only when written like one — E.164 (+ and 7–15
    // digits, optional single separators) or a separated 3-3-4 / (3) 3-4 North American form.
    // Bare digit runs (durations, counts, ids, timestamps) never match.
    pattern: /(?<![\w+])\+[1-9](?:[ .-]?\d){6,14}(?![\d])|(?<![\w.-])(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}(?![\w]|[.-]\d)/g,
    worthTrying: hasDigit,
    replace: () => marker("phone"),
  },
  {
    kind: "ip_address",
    // A dotted quad is treated as an address even when it might be a version (1.2.3.4):
    // truncating a version costs little, missing an address leaks one.
    pattern: new RegExp(`(?<![\\d.])(${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET})(?:\\/(\\d{1,2}))?(?![\\d]|\\.\\d)`, "g"),
    worthTrying: (text) => text.includes("."),
    replace: (_match, groups) => ipReplacement(groups[0] ?? "", groups[1], 24),
  },
  {
    kind: "ip_address",
    pattern: /(?<![0-9A-Za-z:.])((?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|\d{1,3}(?:\.\d{1,3}){3}))(?:%[0-9A-Za-z]{1,16})?(?:\/(\d{1,3}))?(?![0-9A-Za-z:.])/g,
    worthTrying: (text) => text.includes(":"),
    replace: (_match, groups, after) => {
      const address = groups[0] ?? "";
      // `::` alone, the unspecified address, names no host and is more often a scope's operator
      // (ASN.1's `Key ::= SEQUENCE`, Ruby's `::Foo`); `::add` before `-mask::` is GitHub Actions' command.
      if (!isIPv6(address) || address === "::" || (address === "::add" && after.startsWith("-mask::"))) return undefined;
      return ipReplacement(address, groups[1], 48);
    },
  },
];

/** A base64 run long enough to hide a secret; decoded and scanned when it decodes to text. */
const BASE64_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/_=-])/g;
const PRINTABLE = /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/;

export interface ScanResult {
  text: string;
  /** Count of each kind replaced, in first-seen order. */
  counts: Map<ScannerKind, number>;
}

/** Shortest text any scanner can match ("a@b.co", "1.2.3.4" is longer); shorter text is returned as is. */
export const MIN_SCANNABLE = 6;

/**
 * Most passes a scan makes. A pass that redacts something can leave text that reads differently
 * next to its markers (a phone number's marker before what is then a card number on its own), so
 * the scan repeats until a pass finds nothing, and its output scanned again finds nothing more.
 * Every pass that changes the text adds a marker (or truncates an address to its network, which
 * no pass changes again), so it ends; the bound is for text built to need more, which then
 * travels as the last pass left it.
 */
const MAX_PASSES = 16;
/** Levels of JSON string literals written as JSON.stringify writes them: JSON inside JSON inside JSON, and one more. */
const JSON_STRING_LEVELS = 4;
/** Times a text is rewritten and scanned again after a redaction left a literal rewritable (see scan). */
const REWRITE_ROUNDS = 4;

const NONE_DISABLED: ReadonlySet<ScannerKind> = new Set();

/** Whether every scanner finds nothing in `text`: for short texts the SDK passes on only when clean (an error's code, a key in a path). */
export function scansClean(text: string): boolean {
  return scan(text, NONE_DISABLED).counts.size === 0;
}

/**
 * Applies every enabled scanner in order, to a fixpoint, to the text with its JSON string literals
 * written as JSON.stringify writes them. Does not truncate; callers cap length before and after.
 */
export function scan(text: string, disabled: ReadonlySet<ScannerKind>, decodeBase64 = true): ScanResult {
  const result = scanAsWritten(canonicalJsonStrings(text, JSON_STRING_LEVELS), disabled, decodeBase64);
  // With nothing found, the text travels as written.
  if (result.counts.size === 0) return { text, counts: result.counts };
  // A redaction can leave a literal rewritable that was not (it took the invalid escape that kept
  // it from being read): rewrite and scan again, so scanning the output finds nothing more.
  for (let round = 0; round < REWRITE_ROUNDS; round++) {
    const canonical = canonicalJsonStrings(result.text, JSON_STRING_LEVELS);
    if (canonical === result.text) break;
    const again = scanAsWritten(canonical, disabled, decodeBase64);
    for (const [kind, count] of again.counts) result.counts.set(kind, (result.counts.get(kind) ?? 0) + count);
    result.text = again.text;
  }
  return result;
}

function scanAsWritten(text: string, disabled: ReadonlySet<ScannerKind>, decodeBase64: boolean): ScanResult {
  const counts = new Map<ScannerKind, number>();
  if (text.length < MIN_SCANNABLE) return { text, counts };
  let out = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = out;
    out = scanOnce(out, disabled, decodeBase64, counts);
    if (out === before) break;
  }
  return { text: out, counts };
}

function scanOnce(text: string, disabled: ReadonlySet<ScannerKind>, decodeBase64: boolean, counts: Map<ScannerKind, number>): string {
  let out = text;
  for (const scanner of SCANNERS) {
    if (disabled.has(scanner.kind) || !scanner.worthTrying(out)) continue;
    scanner.pattern.lastIndex = 0;
    out = out.replace(scanner.pattern, (...args: unknown[]) => {
      const match = String(args[0]);
      const replacement = scanner.replace(match, captures(args), textAfter(args, match.length), () => textBefore(args));
      if (replacement === undefined || replacement === match) return match;
      // A connection string's marker the match held already (a concatenation's first literal) does not make the new ones its kind.
      const kind = occurrences(replacement, marker("connection_string")) > occurrences(match, marker("connection_string")) ? "connection_string" : scanner.kind;
      // A replacement may hold more than one marker (a field found in the rest of a prose match).
      // Markers the match held already are not new findings.
      counts.set(kind, (counts.get(kind) ?? 0) + Math.max(1, occurrences(replacement, marker(kind)) - occurrences(match, marker(kind))));
      return replacement;
    });
  }
  if (decodeBase64 && out.length >= 16) out = scanBase64Runs(out, disabled, counts);
  return out;
}

/** Replaces a base64 run whose decoded text holds a secret with the first kind found in it. */
function scanBase64Runs(text: string, disabled: ReadonlySet<ScannerKind>, counts: Map<ScannerKind, number>): string {
  BASE64_RUN.lastIndex = 0;
  return text.replace(BASE64_RUN, (run) => {
    const decoded = Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
    if (decoded.length < MIN_SCANNABLE || decoded.includes("\ufffd") || !PRINTABLE.test(decoded)) return run;
    const inner = scan(decoded, disabled, false);
    const first = inner.counts.keys().next();
    if (first.done === true) return run;
    counts.set(first.value, (counts.get(first.value) ?? 0) + 1);
    return marker(first.value);
  });
}
