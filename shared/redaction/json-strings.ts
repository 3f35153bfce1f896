// JSON string escapes other than JSON.stringify's hide text from the value scanners, whose patterns
// read JSON escaping (`\"`, and quotes in JSON inside JSON by their runs of backslashes): PHP's
// json_encode writes `https:\/\/user:pw@…`; .NET's System.Text.Json writes `"` as `\u0022`, `&` as
// `\u0026`, `+` as `\u002B` and non-ASCII characters as `\uXXXX`, so a password field in JSON
// inside JSON or a SAS signature after `\u0026sig=` is not seen. The scanners read such text as
// JSON.stringify would have written it (scanners.ts, scan).

/**
 * A JSON string literal (RFC 8259 §7) holding at least one escape, or one cut off by the end of
 * the text or of its line (a length cap, a log line split at 16 KiB), perhaps inside an escape
 * (`\u00`). Unrolled (plain run, then escape and plain run, repeated) so that no two ways of
 * matching compete, and never opened by a quote after a backslash (an escaped quote, or the quote
 * that closes a string ending in `\\`): a look from an opening quote then ends at the first quote
 * that is not escaped, which no other look passes, so the whole text is read in linear time. Raw
 * control characters end a match, as they make a literal invalid.
 */
// eslint-disable-next-line no-control-regex -- a raw control character is what makes a literal invalid
const ESCAPED_LITERAL = /(?<!\\)"[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})[^"\\\u0000-\u001f]*)+(?:(")|(\\(?:u[0-9A-Fa-f]{0,3})?)?(?=[\r\n]|$))/g;

/**
 * The text with each escaped JSON string literal written as JSON.stringify writes it, and the
 * literals inside it in turn, `levels` deep (`\/` as `/`, `\u0022` as `\"`, `\u00E9` as `é`). A
 * literal so written already comes back the same. Literals are matched left to right from the
 * first quote: in JSON text that is how they pair, so JSON stays JSON and means the same. One cut
 * off stays so (no closing quote; an escape cut short kept as it was).
 */
export function canonicalJsonStrings(text: string, levels: number): string {
  if (levels <= 0 || !text.includes("\\")) return text;
  ESCAPED_LITERAL.lastIndex = 0;
  return text.replace(ESCAPED_LITERAL, (literal: string, closingQuote: string | undefined, cutEscape: string | undefined) => {
    const cut = closingQuote === undefined;
    const body = cut ? literal.slice(0, literal.length - (cutEscape?.length ?? 0)) : literal;
    let decoded: unknown;
    try {
      decoded = JSON.parse(cut ? `${body}"` : body);
    } catch {
      return literal;
    }
    if (typeof decoded !== "string") return literal;
    const written = JSON.stringify(canonicalJsonStrings(decoded, levels - 1));
    return cut ? `${written.slice(0, -1)}${cutEscape ?? ""}` : written;
  });
}
