// One table row per scanner behaviour: text in, the kinds expected, what must be gone and what must stay.
import { describe, expect, it } from "vitest";
import { leakPlacements } from "../fixtures/leak-corpus.js";
import { TruncatedIpSchema } from "../../schemas/primitives.js";
import { RedactionEntrySchema, type RedactionKind } from "../../schemas/redaction.js";
import { truncateIp } from "../../shared/redaction/index.js";
import { fakeJwt, fakePem, redactor } from "./helpers.js";

const r = redactor();
// Built at run time so no token-shaped literal is committed.
const ghp = "ghp" + "_" + "FAKEfake".repeat(4) + "0000";
const stripe = "sk" + "_live_" + "FAKEfakeFAKEfake1234";
const openai = "sk" + "-proj-" + "FAKEfakeFAKEfakeFAKEfake";
const slack = "xox" + "b-" + "000000000-FAKEFAKEFAKE";
const npmToken = "npm" + "_" + "FAKEfake".repeat(4) + "0000";
const gcp = "AIza" + "FAKEfakeFAKEfakeFAKEfakeFAKEfake123";
const basic = Buffer.from("fakeuser:fakepass").toString("base64");
/** A fake value of `length` characters from `alphabet`, for token formats built at run time. */
const fill = (length: number, alphabet = "FAKEfake0123"): string => alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length);
const hex = (length: number): string => fill(length, "fa4e0123");
// One token of each service format SERVICE_TOKEN knows beyond the first rows', prefix and body apart.
const serviceTokens: [string, string][] = [
  ["whsec_", fill(32)],
  ["glrt-", fill(20)],
  ["hf_", fill(34)],
  ["shpat_", hex(32)],
  ["dapi", `${hex(32)}-2`],
  ["dop_v1_", hex(64)],
  ["hvs.", fill(90)],
  ["pypi-AgEIcHlwaS5vcmc", fill(60)],
  ["dckr_pat_", fill(27)],
  ["PMAK-", `${hex(24)}-${hex(34)}`],
  ["lin_api_", fill(40)],
  ["ntn_", fill(46)],
  ["secret_", fill(43)],
  ["glsa_", `${fill(32)}_${hex(8)}`],
  ["NRAK-", fill(27, "FAKE0123")],
  ["api_org_", fill(34)],
  ["dckr_oat_", fill(27)],
  ["PMAT-", `${hex(24)}-${hex(34)}`],
  ["lin_oauth_", fill(64)],
  ["glft-", fill(20)],
  ["pypi-AgENdGVzdC5weXBp", fill(60)],
  ["dp.scim.", fill(43)],
  ["ATATT3", fill(120)],
  ["SG.", `${fill(22)}.${fill(43)}`],
  ["GOCSPX-", fill(28)],
  ["1//0", fill(60)],
  ["dp.pt.", fill(43)],
  ["bkua_", fill(40)],
  ["abc8Q~", fill(34)],
];

interface Row {
  name: string;
  text: string;
  kinds: RedactionKind[];
  gone?: string[];
  kept?: string[];
  equals?: string;
}

const ROWS: Row[] = [
  { name: "JWT", text: `token ${fakeJwt()} here`, kinds: ["jwt"], gone: [fakeJwt()], kept: ["token", "here"] },
  { name: "not a JWT: one base64 segment", text: "eyJhbGciOi alone", kinds: [] },
  { name: "bearer credential", text: "Authorization: Bearer abcDEF123456789xyz", kinds: ["bearer_credential"], gone: ["abcDEF123456789xyz"], kept: ["Bearer"] },
  { name: "not bearer: the word alone", text: "expected a bearer token", kinds: [] },
  { name: "basic credential", text: `Authorization: Basic ${basic}`, kinds: ["basic_credential"], gone: [basic] },
  { name: "not basic: 'Basic authentication failed'", text: "Basic authentication failed", kinds: [], equals: "Basic authentication failed" },
  { name: "Authorization header, another scheme", text: "Authorization: Token FakeTok9x8y7z6w5v and authorization: token fakeghtoken0123456789abcdef", kinds: ["api_token"], gone: ["FakeTok9x8y7z6w5v", "fakeghtoken0123456789abcdef"], kept: ["Authorization: Token", "authorization: token"] },
  { name: "Authorization header: Azure Storage's SharedKey, Okta's SSWS, a Negotiate blob, a proxy's", text: "Authorization: SharedKey fakeaccount:RkFLRXNpZ25hdHVyZTAxMjM0NQ==\r\nAuthorization: SSWS 00FakeOktaToken9x8y7z\r\nAuthorization: Negotiate YIIFakeNegotiateBlob0123\r\nProxy-Authorization: ApiKey FakeProxyKey42", kinds: ["api_token"], gone: ["fakeaccount:", "RkFLRXNpZ25hdHVyZTAxMjM0NQ", "00FakeOktaToken9x8y7z", "YIIFakeNegotiateBlob0123", "FakeProxyKey42"], kept: ["SharedKey", "SSWS", "Negotiate", "ApiKey"] },
  { name: "Authorization header as a JSON field, in escaped quotes, a Python dict's, a curl option", text: `{"headers":{"Authorization":"Token FakeTok9x8y7z6w5v"}} {\\"Authorization\\":\\"Token FakeTok8x7y6z5w4v\\"} {'authorization': 'ApiKey FakeKey7x6y5z4w'} curl -H 'Authorization: token FakeTok6x5y4z3w2v' https://api.example.com`, kinds: ["api_token"], gone: ["FakeTok9x8y7z6w5v", "FakeTok8x7y6z5w4v", "FakeKey7x6y5z4w", "FakeTok6x5y4z3w2v"], kept: ["https://api.example.com"] },
  { name: "Authorization header with no scheme, and as a query parameter", text: "Authorization: FakeTok9x8y7z6w5v4u (expired)\nGET /feed?authorization=FakeTok8x7y6z5w4v3u&page=2", kinds: ["api_token"], gone: ["FakeTok9x8y7z6w5v4u", "FakeTok8x7y6z5w4v3u"], kept: ["(expired)", "&page=2"] },
  { name: "Authorization header after JSON's escaped line break or tab, or glued to the line before by a URL's parser", text: String.raw`{"request":"GET /api HTTP/1.1\r\nHost: x\r\nAuthorization: Token FakeTok9x8y7z6w5v\r\n","msg":"headers:\n\tAuthorization: SSWS FakeTok8x7y6z5w4v"} GET /a?q=PUT /f HTTP/1.1Authorization: SharedKey fakeacct:RkFLRXNpZzAxMjM0NQ==`, kinds: ["api_token"], gone: ["FakeTok9x8y7z6w5v", "FakeTok8x7y6z5w4v", "RkFLRXNpZzAxMjM0NQ"] },
  { name: "Authorization header in Go's, HAR's, Java's, CGI's, Ruby's, XML's and Python's renderings", text: `map[Authorization:[Token FakeTok1x1y1z1w1v]] http.Header{"Authorization": []string{"Token FakeTok2x2y2z2w2v"}} {"name": "Authorization", "value": "Token FakeTok3x3y3z3w3v"} req.Header.Set("Authorization","Token FakeTok4x4y4z4w4v") Header(name=Authorization, value=Token FakeTok5x5y5z5w5v) 'HTTP_AUTHORIZATION': 'Token FakeTok6x6y6z6w6v' :authorization => "Token FakeTok7x7y7z7w7v" <Authorization>Token FakeTok8x8y8z8w8v</Authorization> {'Authorization': b'Token FakeTok9x9y9z9w9v'}`, kinds: ["api_token"], gone: ["1x1y1z1w1v", "2x2y2z2w2v", "3x3y3z3w3v", "4x4y4z4w4v", "5x5y5z5w5v", "6x6y6z6w6v", "7x7y7z7w7v", "8x8y8z8w8v", "9x9y9z9w9v"] },
  { name: "Authorization header: a long Negotiate blob, digits alone, lower case alone, a token before more fields", text: `Authorization: Negotiate ${"YIIFake0123".repeat(160)}\nAuthorization: Token 12345678901234567890\nAuthorization: token fakeghtokenabcdefabcdefabcdef\nlevel=warn authorization=FakeTok9x8y7z6w5v4u status=401`, kinds: ["api_token"], gone: ["YIIFake0123", "12345678901234567890", "fakeghtoken", "FakeTok9x8y7z6w5v4u"], kept: ["status=401"] },
  { name: "Authorization header as a pretty-printed HAR entry, a YAML name and value, Apache's and nginx's directives, after a tab, in a namespace, run into the next header", text: '{\n  "name": "Authorization",\n  "value": "Token FakeTok1x1y1z1w1v"\n}\n- name: Authorization\n  value: Token FakeTok2x2y2z2w2v\nRequestHeader set Authorization "Token FakeTok3x3y3z3w3v"\nproxy_set_header Authorization "SSWS FakeTok4x4y4z4w4v";\nAuthorization\tToken FakeTok5x5y5z5w5v\n<ns2:Authorization>Token FakeTok6x6y6z6w6v</ns2:Authorization>\nenv: [{name: AUTHORIZATION, value: "Token FakeTok7x7y7z7w7v"}]\nGET / HTTP/1.1Proxy-Authorization: Token FakeTok8x8y8z8w8vAuthorization: Token FakeTok9x9y9z9w9v', kinds: ["api_token"], gone: ["1x1y1z1w1v", "2x2y2z2w2v", "3x3y3z3w3v", "4x4y4z4w4v", "5x5y5z5w5v", "6x6y6z6w6v", "7x7y7z7w7v", "8x8y8z8w8v", "9x9y9z9w9v"] },
  { name: "Authorization header with no scheme in a pair with a value key: HAR's, Java's", text: '{"name":"Authorization","value":"FakeTok1x1y1z1w1v1u"} [name=Authorization, value=FakeTok2x2y2z2w2v2u]', kinds: ["api_token"], gone: ["FakeTok1x1y1z1w1v1u", "FakeTok2x2y2z2w2v2u"] },
  {
    name: "not an Authorization header's credentials: a list of headers' names, call arguments, fields whose names end in authorization, dates, versions, prose",
    text: 'allowedHeaders: ["Authorization", "X-Amz-Content-Sha256", "X-Request-Id-1234567890"]\nsetHeader("authorization", credentials2fromVault)\nmetric.inc("authorization", "denied_total_v2_2024")\n{"last_authorization": "2024-05-01T12:00:00Z", "preauthorization": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}\npreauthorization=pa_1Hh1XYZ2eZvKYlo2CJ8D4Xz9\n"express-authorization": "1.0.0-beta.12345"\nauthorization: 2024-05-01T12:00:00Z\nauthorization: RBAC v1.28.3-gke.1286000\nAuthorization: see https://docs.example.com/v2/auth\nAuthorization: denied user_12345678',
    kinds: [],
    equals: 'allowedHeaders: ["Authorization", "X-Amz-Content-Sha256", "X-Request-Id-1234567890"]\nsetHeader("authorization", credentials2fromVault)\nmetric.inc("authorization", "denied_total_v2_2024")\n{"last_authorization": "2024-05-01T12:00:00Z", "preauthorization": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}\npreauthorization=pa_1Hh1XYZ2eZvKYlo2CJ8D4Xz9\n"express-authorization": "1.0.0-beta.12345"\nauthorization: 2024-05-01T12:00:00Z\nauthorization: RBAC v1.28.3-gke.1286000\nAuthorization: see https://docs.example.com/v2/auth\nAuthorization: denied user_12345678',
  },
  {
    name: "not an Authorization header's credentials: code that computes them",
    text: 'client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);\nheaders: { authorization: await getToken() },\nAuthorization: typeof AuthorizationHeader;\nauthorization = base64.b64encode(credentials)\nauthorization: process.env.API_TOKEN2,\n["Authorization", "Content-Type", "Accept"]',
    kinds: [],
    equals: 'client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);\nheaders: { authorization: await getToken() },\nAuthorization: typeof AuthorizationHeader;\nauthorization = base64.b64encode(credentials)\nauthorization: process.env.API_TOKEN2,\n["Authorization", "Content-Type", "Accept"]',
  },
  {
    name: "not an Authorization header's credentials: prose after the name, a URL, a scheme before its parameters",
    text: "Authorization: required\nauthorization: insufficient_scope notes:write\nThe Authorization: header is missing\nAuthorization: Token expired at noon\nAuthorization: https://login.example.com/v2/authorize\nAuthorization: Basic authentication failed\nAuthorization: AWS4-HMAC-SHA256 SignedHeaders=host\nAuthorization: Needs AdministratorAccess\nAuthorization: Bearer",
    kinds: [],
    equals: "Authorization: required\nauthorization: insufficient_scope notes:write\nThe Authorization: header is missing\nAuthorization: Token expired at noon\nAuthorization: https://login.example.com/v2/authorize\nAuthorization: Basic authentication failed\nAuthorization: AWS4-HMAC-SHA256 SignedHeaders=host\nAuthorization: Needs AdministratorAccess\nAuthorization: Bearer",
  },
  { name: "API tokens of services, by their prefixes", text: serviceTokens.map(([prefix, body], i) => `${i % 2 === 0 ? "token" : "key:"} ${prefix}${body}`).join("\n"), kinds: ["api_token"], gone: serviceTokens.map(([, body]) => body.slice(0, 20)) },
  { name: "webhook URLs' secrets, an Azure Functions key, a functions key header", text: `POST https://hooks.slack.com/services/T0FAKE000/B0FAKE000/${fill(24)} failed\nhttps://discord.com/api/webhooks/123456789012345678/${fill(68)}\nhttps://api.telegram.org/bot123456789:${fill(35)}/sendMessage\nPOST https://fake-app.azurewebsites.net/api/run?code=${fill(54)}==&clientId=default\nx-functions-key: ${fill(54)}==`, kinds: ["api_token"], gone: [fill(24), fill(30)], kept: ["hooks.slack.com/services/", "discord.com/api/webhooks/123456789012345678/", "api.telegram.org/bot", "&clientId=default", "/sendMessage"] },
  {
    name: "service tokens after JSON's escaped line break or tab, or '=', with a suffix glued on; a Google OAuth code; Teams' and Discord's versioned webhooks",
    text: `{"log":"line1\\n${"hf_"}${fill(34)}\\tSG.${fill(22)}.${fill(43)}"} rt=1//0${fill(60)} SP_CRED=abc8Q~${fill(34)} ${ghp}_backup ${stripe}-old\nGET /cb?code=4/0AX4Xf${fill(60)}&scope=email https://fake.webhook.office.com/webhookb2/${fill(48)} https://discord.com/api/v10/webhooks/123456789012345678/${fill(68)}`,
    kinds: ["api_token"],
    gone: [fill(34), fill(22), fill(60), ghp, stripe, fill(48), fill(68)],
    kept: ["&scope=email", "webhook.office.com/webhookb2/", "/api/v10/webhooks/123456789012345678/"],
  },
  { name: "not a service's token: words and ids that share a prefix, a short code", text: "hf_model_name = 'bert'\nSKU-1234 dapiDataGetTopLongShortPositionRatio secret_key_base glc_getLocalConfigurationValueForCurrentUserSession\n?code=404&state=ok ?code=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst\nhttps://play.example.test/?code=use%20std%3A%3Aio%3B%0Afn%20main()%20%7B%20println%21(1234)%3B%20%7D\nhttps://sg.example.test/search?code=src/main/java/com/example/UserService1.java\nkey-d41d8cd98f00b204e9800998ecf8427e API key SID SK2f8e0000000000000000000000000a1b", kinds: [], equals: "hf_model_name = 'bert'\nSKU-1234 dapiDataGetTopLongShortPositionRatio secret_key_base glc_getLocalConfigurationValueForCurrentUserSession\n?code=404&state=ok ?code=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst\nhttps://play.example.test/?code=use%20std%3A%3Aio%3B%0Afn%20main()%20%7B%20println%21(1234)%3B%20%7D\nhttps://sg.example.test/search?code=src/main/java/com/example/UserService1.java\nkey-d41d8cd98f00b204e9800998ecf8427e API key SID SK2f8e0000000000000000000000000a1b" },
  {
    name: "cookies' values: a Cookie header, Set-Cookie's first pair, JSON fields and lists, after JSON's escaped line break, curl's --cookie",
    text: 'Cookie: session=FakeSess1x1y1z1w1v1u; theme=dark\nSet-Cookie: sid=FakeSess2x2y2z2w2v2u; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly\n{"headers":{"cookie":"JSESSIONID=FAKE3333333333333333333333333333; lang=en"},"set-cookie":["connect.sid=s%3AFakeSess4x4y4z4w4v4u; Path=/"],"raw":"GET / HTTP/1.1\\r\\nCookie: PHPSESSID=fakesess5x5y5z5w5v5u\\r\\n"}\ncurl --cookie \'sid=FakeSess6x6y6z6w6v6u\' https://api.example.test',
    kinds: ["api_token"],
    equals: 'Cookie: session=[REDACTED:api_token]; theme=dark\nSet-Cookie: sid=[REDACTED:api_token]; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly\n{"headers":{"cookie":"JSESSIONID=[REDACTED:api_token]; lang=en"},"set-cookie":["connect.sid=[REDACTED:api_token]; Path=/"],"raw":"GET / HTTP/1.1\\r\\nCookie: PHPSESSID=[REDACTED:api_token]\\r\\n"}\ncurl --cookie \'sid=[REDACTED:api_token]\' https://api.example.test',
  },
  {
    name: "cookies' values in HAR's name and value, a call's arguments, a PowerShell hashtable, CGI's HTTP_COOKIE, curl's -b, in quotes",
    text: `{"name": "Cookie", "value": "theme=dark; session=FakeSess7x7y7z7w7v7u"}\nreq.Header.Set("Cookie", "sid=FakeSess8x8y8z8w8v8u")\nInvoke-WebRequest -Headers @{"Cookie"="session=FakeSess9x9y9z9w9v9u"}\n'HTTP_COOKIE': 'theme=dark; sessionid=FakeSess0x0y0z0w0v0u'\ncurl https://api.example.test -b 'theme=dark; session=FakeSessAxAyAzAwAvAu'\nSet-Cookie: sid="FakeSessBxByBzBwBvBu"; Path=/`,
    kinds: ["api_token"],
    gone: ["7x7y7z7w7v7u", "8x8y8z8w8v8u", "9x9y9z9w9v9u", "0x0y0z0w0v0u", "AxAyAzAwAvAu", "BxByBzBwBvBu"],
    kept: ["theme=dark", 'sid="[REDACTED:api_token]"; Path=/'],
  },
  {
    name: "cookies after a space before ';', empty pairs, a cookie redacted whole, commas that fold Set-Cookie lines",
    text: "Cookie: theme=dark ;sid=FakeSessCx0123456789\nCookie: theme=dark;; sid=FakeSessDx0123456789\nCookie: [REDACTED:jwt]; sid=FakeSessEx0123456789\nSet-Cookie: a=FakeSessFx0123456789; Path=/; HttpOnly, b=FakeSessGx0123456789; Path=/",
    kinds: ["api_token"],
    equals: "Cookie: theme=dark ;sid=[REDACTED:api_token]\nCookie: theme=dark;; sid=[REDACTED:api_token]\nCookie: [REDACTED:jwt]; sid=[REDACTED:api_token]\nSet-Cookie: a=[REDACTED:api_token]; Path=/; HttpOnly, b=[REDACTED:api_token]; Path=/",
  },
  { name: "not a cookie's secret: short values, prose, code that sets one", text: 'cookie: theme=dark; lang=en\nThe cookie: header is missing\nSet-Cookie header missing HttpOnly\ndocument.cookie = "sid=" + token\nmap[Accept:[*/*] Cookie:[theme=dark] User-Agent:[curl/8.4.0] X-Trace:[FakeTrace0123456789]]\n["Cookie", "Content-Type"]', kinds: [], equals: 'cookie: theme=dark; lang=en\nThe cookie: header is missing\nSet-Cookie header missing HttpOnly\ndocument.cookie = "sid=" + token\nmap[Accept:[*/*] Cookie:[theme=dark] User-Agent:[curl/8.4.0] X-Trace:[FakeTrace0123456789]]\n["Cookie", "Content-Type"]' },
  { name: "Azure storage connection string", text: "DefaultEndpointsProtocol=https;AccountName=fake;AccountKey=RkFLRWZha2VGQUtFZmFrZQ==;EndpointSuffix=core.windows.net", kinds: ["connection_string"], gone: ["RkFLRWZha2VGQUtFZmFrZQ=="], kept: ["AccountName=fake"] },
  { name: "Service Bus SharedAccessKey", text: "Endpoint=sb://fake.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=FAKEfakeFAKEfake=", kinds: ["connection_string"], gone: ["FAKEfakeFAKEfake="] },
  { name: "SQL Password=", text: "Server=db;User Id=app;Password=FakePass123!;", kinds: ["connection_string"], gone: ["FakePass123!"] },
  { name: "database URL", text: "connect postgres://app:FakeDbPass9@db.example.com:5432/app", kinds: ["connection_string"], gone: ["FakeDbPass9", "app:"], kept: ["db.example.com"] },
  { name: "not a connection string: 'password is wrong'", text: "the password is wrong", kinds: [] },
  { name: "private key block", text: `key:\n${fakePem()}\nend`, kinds: ["private_key"], gone: ["PRIVATE KEY", "ZmFrZSBrZXkgYm9keS"], kept: ["key:", "end"] },
  { name: "unterminated private key block", text: `cut ${fakePem("EC PRIVATE KEY").slice(0, 60)}`, kinds: ["private_key"], gone: ["EC PRIVATE KEY"] },
  { name: "OpenSSH private key", text: fakePem("OPENSSH PRIVATE KEY"), kinds: ["private_key"], gone: ["OPENSSH PRIVATE KEY", "ZmFrZSBrZXkgYm9keS"] },
  { name: "encrypted PKCS#8 private key", text: fakePem("ENCRYPTED PRIVATE KEY"), kinds: ["private_key"], gone: ["ZmFrZSBrZXkgYm9keS"] },
  { name: "not a private key: public key block", text: "-----BEGIN " + "PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", kinds: [] },
  { name: "AWS access key id", text: "aws AKIAFAKEFAKEFAKEFAKE used", kinds: ["cloud_access_key"], gone: ["AKIAFAKEFAKEFAKEFAKE"] },
  { name: "AWS temporary key id", text: "ASIAFAKEFAKEFAKEFAKE", kinds: ["cloud_access_key"], gone: ["ASIAFAKEFAKEFAKEFAKE"] },
  { name: "not AWS: AKIA prefix too short", text: "AKIAFAKE is short", kinds: [] },
  { name: "GCP API key", text: `key ${gcp}`, kinds: ["cloud_access_key"], gone: [gcp] },
  { name: "Azure SAS signature", text: "https://fake.blob.core.windows.net/c/b?sv=2024-01-01&sp=r&sig=FAKEfake%2BFAKEfake%3D", kinds: ["cloud_access_key"], gone: ["FAKEfake%2BFAKEfake%3D"], kept: ["sv=2024-01-01"] },
  { name: "GitHub token", text: `use ${ghp}`, kinds: ["api_token"], gone: [ghp] },
  { name: "GitHub fine-grained token", text: "github_pat_" + "FAKE_fake_FAKE_fake_FAKE", kinds: ["api_token"], gone: ["FAKE_fake_FAKE_fake_FAKE"] },
  { name: "Slack token", text: slack, kinds: ["api_token"], gone: [slack] },
  { name: "Stripe live key", text: stripe, kinds: ["api_token"], gone: [stripe] },
  { name: "OpenAI-style key", text: `OPENAI ${openai}`, kinds: ["api_token"], gone: [openai] },
  { name: "npm token", text: npmToken, kinds: ["api_token"], gone: [npmToken] },
  { name: "generic api_key= assignment", text: "GET /x?api_key=fakefake123&page=2", kinds: ["api_token"], gone: ["fakefake123"], kept: ["page=2"] },
  { name: "generic JSON token field", text: '{"access_token": "fake-opaque-token-1"}', kinds: ["api_token"], gone: ["fake-opaque-token-1"] },
  { name: "not a token: max_tokens=1000", text: "max_tokens=1000", kinds: [], equals: "max_tokens=1000" },
  { name: "URL password", text: "fetch https://fakeuser:FakeUrlPass1@example.com/path", kinds: ["url_password"], gone: ["FakeUrlPass1", "fakeuser"], kept: ["example.com/path"] },
  { name: "not a URL password: user only", text: "see https://example.com/a:b", kinds: [] },
  { name: "email", text: "contact alice.fake+tag@example.com today", kinds: ["email"], gone: ["alice.fake+tag@example.com"] },
  { name: "not an email: @mention", text: "ping @alice on chat", kinds: [] },
  { name: "E.164 phone", text: "call +14155550100 now", kinds: ["phone"], gone: ["4155550100"] },
  { name: "UK phone with spaces", text: "call +44 20 7946 0958", kinds: ["phone"], gone: ["7946 0958"] },
  { name: "North American phone", text: "call (555) 010-0199 or 555-010-0123", kinds: ["phone"], gone: ["010-0199", "010-0123"] },
  { name: "North American phone with dots", text: "tel 555.010.0199", kinds: ["phone"], gone: ["010.0199"] },
  { name: "GitLab token", text: "glpat" + "-FAKEfakeFAKEfake1234", kinds: ["api_token"], gone: ["FAKEfakeFAKEfake1234"] },
  { name: "not a phone: duration and counts", text: "took 1234567 ms over 20000000 rows at 2026-01-02T03:04:05.678Z", kinds: [], equals: "took 1234567 ms over 20000000 rows at 2026-01-02T03:04:05.678Z" },
  { name: "card number with spaces", text: "card 4111 1111 1111 1111 exp", kinds: ["card_number"], gone: ["4111 1111 1111 1111"] },
  { name: "card number with dashes", text: "5555-5555-5555-4444", kinds: ["card_number"], gone: ["5555-5555-5555-4444"] },
  { name: "card number plain (Amex 15)", text: "378282246310005", kinds: ["card_number"], gone: ["378282246310005"] },
  { name: "not a card: Luhn-invalid 16 digits", text: "order 4111111111111112", kinds: [], equals: "order 4111111111111112" },
  { name: "not a card: nil UUID groups", text: "tenant 00000000-0000-0000-0000-000000000000", kinds: [] },
  { name: "not a card: digits inside hex", text: "hash a4111111111111111b", kinds: [] },
  { name: "US SSN", text: "ssn 123-45-6789.", kinds: ["national_id"], gone: ["123-45-6789"] },
  { name: "not an SSN: never-issued area 000", text: "000-12-3456", kinds: [] },
  { name: "UK NINO", text: "NI number AB 12 34 56 C", kinds: ["national_id"], gone: ["AB 12 34 56 C"] },
  { name: "UK NINO compact", text: "QQ123456C", kinds: [] }, // QQ is not an issued prefix (Q excluded as first letter)
  { name: "UK NINO compact, issued prefix", text: "nino JG103759A", kinds: ["national_id"], gone: ["JG103759A"] },
  { name: "IPv4", text: "from 203.0.113.77 port 443", kinds: ["ip_address"], gone: ["203.0.113.77"], kept: ["203.0.113.0/24"] },
  { name: "IPv4 /32 is narrowed to /24", text: "allow 203.0.113.77/32", kinds: ["ip_address"], kept: ["203.0.113.0/24"], gone: ["/32"] },
  { name: "IPv4 network already /24 is left", text: "net 203.0.113.0/24", kinds: [], equals: "net 203.0.113.0/24" },
  { name: "dotted quad that may be a version is truncated (documented trade-off)", text: "v1.2.3.4", kinds: ["ip_address"], equals: "v1.2.3.0/24" },
  { name: "standalone dotted-quad version", text: "version 1.2.3.4", kinds: ["ip_address"], kept: ["1.2.3.0/24"] },
  { name: "not IPv4: five parts or an octet over 255", text: "1.2.3.4.5 and 300.1.1.1", kinds: [] },
  { name: "IPv6", text: "from 2001:db8:85a3:1234:8a2e:370:7334:1 ok", kinds: ["ip_address"], kept: ["2001:db8:85a3::/48"], gone: ["7334"] },
  { name: "IPv6 compressed", text: "client [2001:db8::1]:443", kinds: ["ip_address"], kept: ["2001:db8:0::/48"] },
  { name: "IPv6 /48 network is left", text: "net 2001:db8:1::/48", kinds: [] },
  { name: "not IPv6: time of day, MAC address", text: "at 12:30:45 from aa:bb:cc:dd:ee:ff", kinds: [] },
  { name: "base64-wrapped secret", text: `blob ${Buffer.from(`aws key AKIAFAKEFAKEFAKEFAKE`).toString("base64")} end`, kinds: ["cloud_access_key"], gone: [Buffer.from(`aws key AKIAFAKEFAKEFAKEFAKE`).toString("base64")] },
  { name: "base64-wrapped email", text: Buffer.from("mail alice.fake@example.com please").toString("base64url"), kinds: ["email"] },
  { name: "percent-encoded bearer JWT in a URI", text: `https://example.com/cb?auth=Bearer%20${fakeJwt()}&x=1`, kinds: ["jwt"], gone: [fakeJwt().split(".")[1] ?? "missing"], kept: ["example.com/cb"] },
  { name: "percent-encoded email", text: "https://example.com/u/alice.fake%40example.com/profile", kinds: ["email"], gone: ["alice.fake"] },
  { name: "a finding in an outer layer does not stop the peeling: a twice-encoded bearer token below an IP", text: "from 10.1.2.3 next=https%3A%2F%2Fx.example%2F%3Fq%3DBearer%2520fakeToken0123456789XYZ", kinds: ["ip_address", "bearer_credential"], gone: ["fakeToken0123456789XYZ", "10.1.2.3"] },
  { name: "an email in each of two layers", text: "doc://users/alice.fake%40example.com?return=%3Fq%3Dcontact%2520bob.fake%2540example.com", kinds: ["email"], gone: ["alice.fake", "bob.fake"] },
  { name: "an email once encoded, a bearer token twice", text: "doc://users/alice.fake%40example.com?return=%3Fk%3DBearer%2520fakeToken0123456789XYZ", kinds: ["email", "bearer_credential"], gone: ["alice.fake", "fakeToken0123456789XYZ"] },
  { name: "a cloud secret key by its variable name", text: "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY", kinds: ["api_token"], gone: ["wJalrXUtnFEMI"], kept: ["AWS_SECRET_ACCESS_KEY="] },
  { name: "a framework's SECRET_KEY setting", text: "SECRET_KEY = 'fake-insecure-9x8y7z6w5v4u3t2s1r'", kinds: ["api_token"], gone: ["9x8y7z6w5v4u3t2s1r"] },
  { name: "a camelCase access key in JSON", text: '{"accessKey": "FakeAccessKey0123"}', kinds: ["api_token"], gone: ["FakeAccessKey0123"], equals: '{"accessKey": "[REDACTED:api_token]"}' },
  { name: "a quoted password with spaces is redacted whole", text: '{"password": "correct horse battery fake"}', kinds: ["api_token"], gone: ["horse", "battery"], equals: '{"password": "[REDACTED:api_token]"}' },
  { name: "a connection-string password with spaces runs to the semicolon", text: "Server=db;User Id=sa;Password=my fake pass phrase;Encrypt=true", kinds: ["connection_string"], gone: ["fake pass phrase"], kept: ["Encrypt=true"] },
  { name: "a Basic credential whose password is not ASCII", text: `Authorization: Basic ${Buffer.from("alice:Grüße-fake-2024").toString("base64")}`, kinds: ["basic_credential"], gone: [Buffer.from("alice:Grüße-fake-2024").toString("base64")] },
  { name: "an email with accented letters", text: "contact josé.garcía.fake@example.com today", kinds: ["email"], gone: ["josé", "garcía"], kept: ["today"] },
  { name: "an email at an internationalized domain", text: "mail user.fake@münchen.example", kinds: ["email"], gone: ["münchen"] },
  { name: "a URL password behind a marker lookalike", text: "redis://[REDACTED:x]@:fakepass1234@cache.example:6379", kinds: ["connection_string"], gone: ["fakepass1234"] },
  { name: "a connection string's last field, spaced, with no closing semicolon", text: "Server=db;User Id=sa;Password=My Fake Pass Phrase", kinds: ["connection_string"], gone: ["Fake Pass Phrase"] },
  { name: "a quoted connection-string password", text: 'Server=db;Password="fake quoted pass";Encrypt=true', kinds: ["connection_string"], gone: ["fake quoted pass"], kept: ["Encrypt=true"] },
  { name: "prose about a password keeps all but the first word", text: "Password = must be at least 8 characters long", kinds: ["connection_string"], kept: ["be at least 8 characters long"] },
  { name: "an HMAC key by its variable name", text: "HMAC_KEY=fake0hmac0key0value0001", kinds: ["api_token"], gone: ["fake0hmac0key0value0001"] },
  { name: "an Azure primary key in JSON", text: '{"primary_key": "ZmFrZS1wcmltYXJ5LWtleS0wMDAx"}', kinds: ["api_token"], gone: ["ZmFrZS1wcmltYXJ5LWtleS0wMDAx"] },
  { name: "not a secret: a word that ends in key", text: "monkey: bananas, turnkey=solutions, cache-key: build-cache", kinds: [] },
  { name: "not a secret: key names of ordinary things, with ordinary values", text: 'primary_key: customer_id; {"query_key": "search_text"}, host_key=ssh-ed25519, ssh_key: ~/.ssh/id_ed25519.pub', kinds: [] },
  { name: "prose after a semicolon keeps all but the first word", text: "Error: invalid input; password = must be at least 8 characters long", kinds: ["connection_string"], kept: ["be at least 8 characters long"] },
  { name: "a semicolon on the line before does not make prose a connection string", text: "const a = 1;\nPassword = must be at least 8 characters long", kinds: ["connection_string"], kept: ["be at least 8 characters long"] },
  { name: "a quoted password that starts with a marker lookalike", text: "Server=db;Password='[REDACTED:x]\" fake secret phrase';", kinds: ["connection_string"], gone: ["fake secret phrase"] },
  { name: "a URL password whose user is an email", text: "ftp://alice.fake@example.com:fakeFtpPass1@files.example/in", kinds: ["url_password"], gone: ["fakeFtpPass1", "alice.fake"], kept: ["files.example/in"] },
  { name: "a URL user that is an email, without a password, is an email", text: "ftp://alice.fake@example.com@files.example/", kinds: ["email"], equals: "ftp://[REDACTED:email]@files.example/" },
  { name: "a URL password in each of two URLs, the second right after the first's host", text: "x://fakeuser:fakePassOne@h1://other:fakePassTwo@h2/", kinds: ["url_password"], gone: ["fakePassOne", "fakePassTwo"] },
  { name: "not a URL password: a port, and an '@' in the path", text: "http://files.example:8080/users/@me", kinds: [], equals: "http://files.example:8080/users/@me" },
  { name: "a spaced password in a quoted connection string runs to the closing quote", text: 'conn "Server=db;Password=my fake pass phrase" failed', kinds: ["connection_string"], gone: ["fake pass phrase"], kept: ["failed"] },
  { name: "a second field in the rest of a prose match is still found", text: '"Password=x Pwd={FakeSummer2024!}"', kinds: ["connection_string"], gone: ["FakeSummer2024"] },
  { name: "a card number written with a minus sign", text: '{"n": "-4111111111111111"}', kinds: ["card_number"], gone: ["4111111111111111"] },
  { name: "a card number right after another number", text: "status 1 4111 1111 1111 1111 declined", kinds: ["card_number"], gone: ["4111 1111 1111 1111"], kept: ["status 1 ", " declined"] },
  { name: "a card number right after a minus and a number", text: "delta -1 4111111111111111", kinds: ["card_number"], gone: ["4111111111111111"] },
  { name: "a card number dashed onto a phone number", text: "+1 555-010-0199-4111111111111111", kinds: ["phone", "card_number"], gone: ["4111111111111111", "010-0199"] },
  { name: "a 13-digit card written in fours, its last group one digit, after a number", text: "ref 1 4000 0000 0000 6", kinds: ["card_number"], gone: ["4000 0000 0000 6"], kept: ["ref 1 "] },
  { name: "two card numbers in one run", text: "cards 4111111111111111 5555555555554444", kinds: ["card_number"], gone: ["4111111111111111", "5555555555554444"] },
  { name: "a connection-string value stops at the next field, which is then scanned: prose", text: 'Password=a b Pwd="fk01"', kinds: ["connection_string"], gone: ["fk01"] },
  { name: "a connection-string value stops at the next field, which is then scanned: after a semicolon", text: 'Server=db;Password=fakepass2 SharedAccessKey="fake long shared secret value"', kinds: ["connection_string"], gone: ["fakepass2", "shared secret value"] },
  { name: "a card does not take the first group of a phone number after it", text: "card 4111111111111111 201-010-0199", kinds: ["card_number", "phone"], gone: ["4111111111111111", "010-0199"] },
  { name: "a card does not take the first group of an SSN after it", text: "card 4111 1111 1111 1111 201-45-6789", kinds: ["card_number", "national_id"], gone: ["1111 1111", "45-6789"] },
  { name: "a dashed card after a number leaves none of its groups", text: "paid 63164562 4111-1111-1111-1111", kinds: ["card_number"], equals: "paid 63164562 [REDACTED:card_number]" },
  { name: "a Diners card with a short last group before a phone number", text: "diners 3056 9309 0259 04 555-010-0199", kinds: ["card_number", "phone"], gone: ["3056 9309", "010-0199"] },
  { name: "cards of issuers without a listed prefix, on their own", text: "napas 9704198526191432198, diners 3900 0000 0000 0005, shetab 6104 3370 0000 0008", kinds: ["card_number"], gone: ["9704198526191432198", "3900 0000", "6104 3370"] },
  { name: "a card written with spaces, then its expiry after a dash", text: "card 4111 1111 1111 1111-1226", kinds: ["card_number"], gone: ["4111 1111"] },
  { name: "a connection-string value runs to its semicolon, '=' signs and spaces included", text: "Server=x;Password=open fake=;Database=y; Driver={ODBC Driver 17};Uid=sa;Pwd={let me fake=now};", kinds: ["connection_string"], gone: ["open fake", "let me fake=now"], kept: ["Database=y"] },
  { name: "a URL userinfo does not run past a JSON string's end", text: '{"url":"https://bob.fake@example.com","mail":"carol.fake@example.org"}', kinds: ["email"], equals: '{"url":"https://[REDACTED:email]","mail":"[REDACTED:email]"}' },
  { name: "not a card: lists of status codes and ports", text: "codes 401 302 201 201 301 400 500 200 301 500 401 503 401 403 200 404 204 503 304 301; ports 42752 13642 56348 21357 44210", kinds: [], equals: "codes 401 302 201 201 301 400 500 200 301 500 401 503 401 403 200 404 204 503 304 301; ports 42752 13642 56348 21357 44210" },
  { name: "a URL password with characters a URL should not hold there", text: "redis://:fake}pw@cache:6379 and postgres://app:Fake0ub4dor&3|x@db.internal/app", kinds: ["connection_string"], gone: ["fake}pw", "Fake0ub4dor"] },
  { name: "a card of an issuer without a listed prefix, then one more number", text: "card 9704 0000 0000 0018 2025", kinds: ["card_number"], equals: "card [REDACTED:card_number] 2025" },
  { name: "a card does not take the last group of a phone number or SSN before it", text: "call 555-010-4008 4111 1111 1111 1111; ssn 123-45-4008 4111 1111 1111 1111", kinds: ["phone", "national_id", "card_number"], gone: ["010-4008", "45-4008", "4111 1111"] },
  { name: "a spaced connection-string password with '=' and no closing semicolon", text: "Server=db;User Id=sa;Password=my fake=word", kinds: ["connection_string"], gone: ["fake=word"] },
  { name: "not a card: an identifier ending in a Luhn-valid millisecond timestamp", text: "job-1712345678915 done, see upload-1712345678907.json", kinds: [], equals: "job-1712345678915 done, see upload-1712345678907.json" },
  { name: "a URL password with angle brackets, or a JSON-escaped quote", text: String.raw`postgres://app:fake<pw>0rd@db.internal/app {"dsn":"postgres://app:Fk\"9z@db/x"}`, kinds: ["connection_string"], gone: ["fake<pw>0rd", String.raw`Fk\"9z`, "9z@"] },
  { name: "a spaced connection-string password runs past a word= that is not one of its fields", text: "Server=db;Password=correct fake monkey=battery", kinds: ["connection_string"], gone: ["fake", "battery"] },
  { name: "a semicolon-ended connection-string password with an apostrophe or brackets", text: "Server=db;Password=it's a fake;Pwd=[Z9x]fake;", kinds: ["connection_string"], gone: ["s a fake", "Z9x"] },
  { name: "a URL with no userinfo in JSON inside JSON does not run into the next fields", text: String.raw`{"log":"{\"endpoint\":\"https://api.example.com\",\"mail\":\"carol.fake@example.org\"}"}`, kinds: ["email"], equals: String.raw`{"log":"{\"endpoint\":\"https://api.example.com\",\"mail\":\"[REDACTED:email]\"}"}` },
  { name: "a URL password ending in a backslash", text: String.raw`login https://admin:fakepw\@db.internal now`, kinds: ["url_password"], gone: ["fakepw"] },
  { name: "a secret field's quoted value after a password without a semicolon", text: 'Server=db;Password=fakepass2 client_secret="fake abc def"', kinds: ["connection_string"], gone: ["fakepass2", "fake abc def"] },
  { name: "a password without a semicolon that ends in '=' before the closing quote", text: '"Server=db;Password=fake pw key="', kinds: ["connection_string"], equals: '"Server=db;Password=[REDACTED:connection_string]"' },
  { name: "a connection-string password with brackets or an apostrophe at the line end", text: "Server=db;Password=[Z9x]fake\nServer=db;Password=p'fake0rd", kinds: ["connection_string"], gone: ["Z9x", "fake0rd"] },
  { name: "a connection-string value does not take the backslash of an escaped closing quote", text: String.raw`{"cs":"{\"s\":\"Server=x;Password=Fake0ub@dor&3\"}"}`, kinds: ["connection_string"], equals: String.raw`{"cs":"{\"s\":\"Server=x;Password=[REDACTED:connection_string]\"}"}` },
  { name: "a secret field in JSON inside JSON (escaped quotes)", text: String.raw`{"log":"{\"endpoint\":\"https://api.example.com\",\"db_password\":\"F@kePassw0rd!2026\"}"}`, kinds: ["api_token"], equals: String.raw`{"log":"{\"endpoint\":\"https://api.example.com\",\"db_password\":\"[REDACTED:api_token]\"}"}` },
  { name: "a spaced connection-string password ending in a backslash before the closing quote, the JSON kept valid (the backslashes stay)", text: String.raw`{"cs":"Server=db;Password=my fake\\"}`, kinds: ["connection_string"], equals: String.raw`{"cs":"Server=db;Password=[REDACTED:connection_string]\\"}` },
  { name: "a password in brackets is not a placeholder", text: "Server=db;Password=[FAKEPW];Encrypt=true\nServer=db;Password=[X] fake words;Encrypt=true", kinds: ["connection_string"], gone: ["FAKEPW", "fake words"] },
  { name: "a semicolon-ended password holding an escaped quote and a space is taken whole", text: String.raw`{"cs":"Server=db;Password=fk\" pw;Encrypt=true"}`, kinds: ["connection_string"], equals: '{"cs":"Server=db;Password=[REDACTED:connection_string];Encrypt=true"}' },
  { name: "a password ending in an escaped backslash before an escaped closing quote keeps the JSON valid (the backslashes stay)", text: String.raw`{"cmd":"sqlcmd \"Server=db;Password=fakepw\\\""}`, kinds: ["connection_string"], equals: String.raw`{"cmd":"sqlcmd \"Server=db;Password=[REDACTED:connection_string]\\\""}` },
  { name: "a spaced password ending in a lone backslash before the line end", text: "Server=db;Password=my fake\\ \nnext", kinds: ["connection_string"], gone: ["fake"], kept: ["next"] },
  { name: "not a secret: a framework's placeholder before a space", text: "Password=[FILTERED] user=bob", kinds: [], equals: "Password=[FILTERED] user=bob" },
  { name: "a semicolon-ended connection-string password holding an escaped quote", text: String.raw`"Server=db;Password=Zx\ fakeQ\\\"zQx;Encrypt=true"`, kinds: ["connection_string"], gone: ["fakeQ", "zQx"], kept: ["Encrypt=true"] },
  { name: "not a secret: a framework's placeholder for a filtered password", text: 'Started GET "/login?user=bob&password=[FILTERED]&next=/home"', kinds: [], equals: 'Started GET "/login?user=bob&password=[FILTERED]&next=/home"' },
  { name: "words after a placeholder in a value taken whole are the password", text: "Server=db;Password=[FILTERED] fakepw2;Encrypt=true", kinds: ["connection_string"], gone: ["fakepw2"], kept: ["Encrypt=true"] },
  { name: "an escaped-quoted command-line password in JSON, the JSON kept valid", text: String.raw`{"a":"--password=\"fakepw3\""}`, kinds: ["connection_string"], equals: String.raw`{"a":"--password=[REDACTED:connection_string]"}` },
  { name: "an escaped-quoted password is taken whole: spaces, apostrophes, brackets", text: String.raw`{"a":"Password=\"correct fake horse\"","b":"app --password=\"it's-[fa]ke\" --verbose"}`, kinds: ["connection_string"], equals: String.raw`{"a":"Password=[REDACTED:connection_string]","b":"app --password=[REDACTED:connection_string] --verbose"}` },
  { name: "an escaped quote not before a delimiter is part of the value", text: String.raw`Pwd=\"_Pwd=\"_fakepw5\" next`, kinds: ["connection_string"], equals: "Pwd=[REDACTED:connection_string] next" },
  { name: "a chain of unclosed escaped-quoted password fields", text: String.raw`Pwd=\"_Pwd=\"_fakepw5 Pwd=\"_Pwd=\"_Pwd=\"_fakepw33`, kinds: ["connection_string", "api_token"], gone: ["fakepw5", "fakepw33"] },
  { name: "a bare secret value stops before the escaped quote that ends a JSON string", text: String.raw`{"a":"sh -c \"export TOKEN=fakepw6x\""}`, kinds: ["api_token"], equals: String.raw`{"a":"sh -c \"export TOKEN=[REDACTED:api_token]\""}` },
  { name: "a connection-string value in a quote never closed (cut short) runs to the line end", text: 'SharedAccessSignature="fakepw7\nnext Pwd="ab12', kinds: ["connection_string"], gone: ["fakepw7", "ab12"], kept: ["next"] },
  { name: "a bracketed password in a line too long to take to its end", text: `Password=[fakepw8] ${"word ".repeat(60)}`, kinds: ["connection_string"], gone: ["fakepw8"] },
  { name: "a connection-string password field ending a JSON string takes nothing from the JSON", text: '{"a":"x Pwd=","n":1,"b":"Password=1=","c":2}', kinds: ["connection_string"], equals: '{"a":"x Pwd=","n":1,"b":"Password=[REDACTED:connection_string]","c":2}' },
  { name: "an email after a JSON escape keeps the escape", text: String.raw`{"a":"line\nfake.user@example.com"}`, kinds: ["email"], equals: String.raw`{"a":"line\n[REDACTED:email]"}` },
  { name: "a quoted value ending in '=' takes the word after it", text: `token:" export TOKEN="fakepw10x" and Password=' Password='fakepw11'`, kinds: ["api_token", "connection_string"], gone: ["fakepw10x", "fakepw11"] },
  { name: "secrets in quotes two levels of JSON deep", text: JSON.stringify({ log: JSON.stringify({ a: 'Password="fake pw12" db_password: "fakepw13x" Pwd="fakepw14"' }) }), kinds: ["connection_string", "api_token"], gone: ["fake pw12", "pw12", "fakepw13x", "fakepw14"] },
  { name: "a password field whose value is another field", text: String.raw`{"a":"Pwd= Password=\"fake pw15\""}`, kinds: ["connection_string"], equals: '{"a":"Pwd= [REDACTED:connection_string]"}' },
  { name: "a quoted base64 value ending in '=' takes nothing after its quote", text: `{"msg":"connect(token='RmFrZUtleQ==')","user":"bob"} {"conn":"AccountName=x;AccountKey='RmFrZUtleQ==';EndpointSuffix=core.windows.net"} Server=db;Password='fakepw=';Encrypt=true;User Id=bob`, kinds: ["api_token", "connection_string"], equals: `{"msg":"connect(token='[REDACTED:api_token]')","user":"bob"} {"conn":"AccountName=x;AccountKey=[REDACTED:connection_string];EndpointSuffix=core.windows.net"} Server=db;Password=[REDACTED:connection_string];Encrypt=true;User Id=bob` },
  { name: "an apostrophe never closed does not run past a JSON string's end", text: `{"msg":"Password='fakepw16;","user":"bob"} {"msg":"invalid Pwd='; see docs","n":1}`, kinds: ["api_token"], equals: `{"msg":"Password='[REDACTED:api_token];","user":"bob"} {"msg":"invalid Pwd='; see docs","n":1}` },
  { name: "a password that starts with a secret's name and a separator the api_token scanner does not take", text: "Password=token:[fakepw17] Password=secret:{fakepw18} Password=token=&fakepw19", kinds: ["connection_string"], gone: ["fakepw17", "fakepw18", "fakepw19"] },
  { name: "a bearer token ending in a secret's name and '=' is still a bearer token", text: "Authorization: Bearer FakeToken0123456789Pwd= and Bearer fake-refresh_token=", kinds: ["bearer_credential"], gone: ["FakeToken0123456789", "fake-refresh"] },
  { name: "a password ending in a backslash in JSON inside JSON", text: JSON.stringify({ log: JSON.stringify({ password: "correct fake battery\\", client_secret: "fakepw21&x\\", user: "bob" }) }), kinds: ["api_token"], gone: ["correct", "fake battery", "fakepw21", "&x"], kept: ["bob"] },
  { name: "an escaped-quoted value never closed, holding a deeper quote, runs to the end of its string", text: JSON.stringify({ msg: 'run --db_password="}fakepw22\\" next' }), kinds: ["api_token"], equals: String.raw`{"msg":"run --db_password=\"[REDACTED:api_token]"}` },
  { name: "a quote character inside a value in JSON inside JSON is part of it", text: JSON.stringify({ log: JSON.stringify({ password: 'fake"pw 23', msg: 'Password="fake\\"pw 24" ok' }) }), kinds: ["api_token", "connection_string"], gone: ["pw 23", "pw 24"], kept: ["ok"] },
  { name: "a backslash in a short bare value counts toward its six characters", text: String.raw`token=\Kp073 x and Server=db;api_key=\Kp074;Encrypt=true`, kinds: ["api_token"], gone: ["Kp073", "Kp074"] },
  { name: "an email after a backslash that is not a JSON escape", text: String.raw`user CORP\alice.fake@example.com`, kinds: ["email"], equals: String.raw`user CORP\[REDACTED:email]` },
  { name: "six secret names in a row before the value", text: 'password: "password": "password": "password": "password": "password": "fakepw25x"', kinds: ["api_token"], gone: ["fakepw25x"] },
  { name: "a password field name ending a JSON string or a quoted word is not a quote never closed", text: '{"error":"missing Password="}\n{"a":[{"b":"Pwd="}]}, {"c":"d"}\n["Pwd="]\necho "Password=" && make deploy', kinds: [], equals: '{"error":"missing Password="}\n{"a":[{"b":"Pwd="}]}, {"c":"d"}\n["Pwd="]\necho "Password=" && make deploy' },
  { name: "a password that starts with two secret names is taken to the end of its word", text: `Password= token= secret: fakepw27 and Password=token= api_key="fakepw28" and AccountKey=token=abcdef'fakepw29' and {"msg":"Pwd=token: token: fakepw30"}`, kinds: ["connection_string"], gone: ["fakepw27", "fakepw28", "fakepw29", "fakepw30"] },
  { name: "a bearer token ending in a secret's name and '=' before more text", text: "Authorization: Bearer FakeToken0123456789Token= request-id=abc123 and Bearer RmFrZVRva2VuZmFrZQapikey= (expired)", kinds: ["bearer_credential"], gone: ["FakeToken0123456789", "RmFrZVRva2VuZmFrZQ"] },
  { name: "a secret's name after an unclosed quote opens the next field", text: String.raw`token=Passwd:"passwd: FakePw31x and secret:\" token:"FakePw32x`, kinds: ["api_token"], gone: ["FakePw31x", "FakePw32x"] },
  { name: "a quoted secret may start with a JSON delimiter", text: '{"password":",FakePw34x"} {"api_key": "]FakePw35x", "user": "bob"} token=\',FakePw36x\' Password="}FakePw37x" user=bob', kinds: ["api_token", "connection_string"], gone: ["FakePw34x", "FakePw35x", "FakePw36x", "FakePw37x"], kept: ['"user": "bob"', "user=bob"] },
  { name: "a bare value ending in a secret's name and '=' is a value", text: "password: MyOldFakePassword= ok and client_secret=RmFrZVNlY3JldA0apikey= ", kinds: ["api_token"], gone: ["MyOldFake", "RmFrZVNlY3JldA0"] },
  { name: "secret names before a quote never closed", text: `Pwd=token: token:"FakePw38x\nPwd=token= password:"FakePw39x\nAccountKey='Passwd='Pwd= FakePw40x\nsecret:"Passwd:"passwd: FakePw41x\nBearer token=Bearer FakePw42x`, kinds: ["api_token", "bearer_credential", "connection_string"], gone: ["FakePw38x", "FakePw39x", "FakePw40x", "FakePw41x", "FakePw42x"] },
  { name: "an apostrophe-quoted value ending in a name and '=' before an escaped quote keeps JSON valid", text: String.raw`{"a":"Password='Pwd='\""} {"cmd":"mysql --password='fa55 Pwd='\""}`, kinds: ["connection_string"], gone: ["fa55"] },
  { name: "a secret field's value does not run onto the next line", text: "client_secret=RmFrZVNlY3JldA0apikey=\nUSER=bob", kinds: ["api_token"], equals: "client_secret=[REDACTED:api_token]\nUSER=bob" },
  { name: "a double-quoted secret reads escapes as JSON does", text: String.raw`{"password":"'fakepwd\""}`, kinds: ["api_token"], equals: '{"password":"[REDACTED:api_token]"}' },
  { name: "a secret-named key whose value is a secret field in escaped quotes keeps JSON valid", text: String.raw`{"secret":"token: \"FakePw43x\"","user":"bob"} {"log":"{\"password\":\"password: \\\"FakePw44x\\\"\"}"}`, kinds: ["api_token"], equals: String.raw`{"secret":"[REDACTED:api_token]","user":"bob"} {"log":"{\"password\":\"[REDACTED:api_token]\"}"}` },
  { name: "numbers and literals between JSON strings are not a quoted value", text: '["token:", 12, "x"] {"args":["password=",3600,"retry"]} {"args":["password:",null,"abc"]}', kinds: [], equals: '["token:", 12, "x"] {"args":["password=",3600,"retry"]} {"args":["password:",null,"abc"]}' },
  { name: "a double-quoted value ending in a backslash outside JSON", text: 'client_secret: "Fake pw45\\"\nuser: bob\nsecret:"{FakePw46x\\"\n$env:API_TOKEN="C:\\fake dir47\\"; echo ok', kinds: ["api_token"], gone: ["pw45", "FakePw46x", "dir47"], kept: ["user: bob", "echo ok"] },
  { name: "a connection-string password of punctuation or spaces", text: 'Server=db;Password="[]{}";User=sa Password=" ";x Password=\'\';Server=db', kinds: ["connection_string"], equals: "Server=db;Password=[REDACTED:connection_string];User=sa Password=[REDACTED:connection_string];x Password=[REDACTED:connection_string];Server=db" },
  { name: "a secret value ending in an escaped backslash keeps its closing quote", text: String.raw`{"Password":"='=\"]\\","hint":1}`, kinds: ["api_token"], equals: '{"Password":"[REDACTED:api_token]","hint":1}' },
  { name: "a password or key given to a tool's own option: sqlcmd, bcp, MongoDB's tools, redis-cli, docker and az login, LDAP, keytool, openssl, curl, Samba, rabbitmqctl", text: "sqlcmd -S db -U sa -P 'FakePw401!' -Q 'SELECT 1'\n/opt/mssql-tools/bin/sqlcmd -S localhost -U SA -PFakePw402x\nbcp dbo.t out t.dat -S db -U sa -P FakePw403x -c\nmongosh -u admin -p \"FakePw404x\" --authenticationDatabase admin\nmongodump -u admin -p FakePw405x --db app\nredis-cli -h cache -a FakePw406x ping\ndocker login -u admin -p FakePw407x registry.example.test\naz login --service-principal -u app -p FakePw408x --tenant t\nldapsearch -x -D cn=admin,dc=ex -w FakePw409x -b dc=ex\nkeytool -importkeystore -srcstorepass FakePw410x -deststorepass FakePw411x\nopenssl pkcs12 -export -passout pass:FakePw412x -out c.p12\ncurl -u admin:FakePw413x https://api.example.test/\nsmbclient //srv/share -U user%FakePw414x\nrabbitmqctl add_user app FakePw415x", kinds: ["connection_string", "api_token"], equals: "sqlcmd -S db -U sa -P '[REDACTED:connection_string]' -Q 'SELECT 1'\n/opt/mssql-tools/bin/sqlcmd -S localhost -U SA -P[REDACTED:connection_string]\nbcp dbo.t out t.dat -S db -U sa -P [REDACTED:connection_string] -c\nmongosh -u admin -p \"[REDACTED:connection_string]\" --authenticationDatabase admin\nmongodump -u admin -p [REDACTED:connection_string] --db app\nredis-cli -h cache -a [REDACTED:connection_string] ping\ndocker login -u admin -p [REDACTED:api_token] registry.example.test\naz login --service-principal -u app -p [REDACTED:api_token] --tenant t\nldapsearch -x -D cn=admin,dc=ex -w [REDACTED:api_token] -b dc=ex\nkeytool -importkeystore -srcstorepass [REDACTED:api_token] -deststorepass [REDACTED:api_token]\nopenssl pkcs12 -export -passout pass:[REDACTED:api_token] -out c.p12\ncurl -u admin:[REDACTED:api_token] https://api.example.test/\nsmbclient //srv/share -U user%[REDACTED:api_token]\nrabbitmqctl add_user app [REDACTED:api_token]" },
  {
    name: "a password made a SecureString in PowerShell, or given to .NET's NetworkCredential",
    text: `$sec = ConvertTo-SecureString "FakePw601x" -AsPlainText -Force\nNew-Object PSCredential("bob", (ConvertTo-SecureString 'FakePw602x' -AsPlainText -Force))\nConvertTo-SecureString -AsPlainText -Force -String "Fake Pw 603"\nconvertto-securestring FakePw604x -asplaintext -force\n"FakePw605x" | ConvertTo-SecureString -AsPlainText -Force\n{"script":"\\"FakePw606x\\" | ConvertTo-SecureString -AsPlainText"}\nvar c = new NetworkCredential("bob", "FakePw607x", "CORP");\nNew-Object System.Net.NetworkCredential -ArgumentList 'bob', 'FakePw608x'\n{"code":"new NetworkCredential(user, \\"FakePw609x\\")"}`,
    kinds: ["api_token"],
    equals: `$sec = ConvertTo-SecureString "[REDACTED:api_token]" -AsPlainText -Force\nNew-Object PSCredential("bob", (ConvertTo-SecureString '[REDACTED:api_token]' -AsPlainText -Force))\nConvertTo-SecureString -AsPlainText -Force -String "[REDACTED:api_token]"\nconvertto-securestring [REDACTED:api_token] -asplaintext -force\n"[REDACTED:api_token]" | ConvertTo-SecureString -AsPlainText -Force\n{"script":"\\"[REDACTED:api_token]\\" | ConvertTo-SecureString -AsPlainText"}\nvar c = new NetworkCredential("bob", "[REDACTED:api_token]", "CORP");\nNew-Object System.Net.NetworkCredential -ArgumentList 'bob', '[REDACTED:api_token]'\n{"code":"new NetworkCredential(user, \\"[REDACTED:api_token]\\")"}`,
  },
  {
    name: "a SecureString's password assigned to a secret's name, with ; or | inside, in any case, over a line continuation, piped from a line's end; NetworkCredential's ::new",
    text: "$password = ConvertTo-SecureString \"FakePw611x\" -AsPlainText -Force\nConvertTo-SecureString 'Fake;Pw|612' -AsPlainText -Force\nConvertto-Securestring \"FakePw613x\" -ASPLAINTEXT\nConvertTo-SecureString \"FakePw614x\" `\n  -AsPlainText -Force\n$s = \"FakePw615x\" |\n  ConvertTo-SecureString -AsPlainText\n$c = [System.Net.NetworkCredential]::new('bob', 'FakePw616x')\n$p = ConvertTo-SecureString -String:\"FakePw617x\" -AsPlain -Force\n$p = ConvertTo-SecureString (\"FakePw618x\") -AsPlainText\nvar c = new NetworkCredential(@\"CORP\\bob\",\n    \"FakePw619x\");",
    kinds: ["api_token"],
    equals: "$password = ConvertTo-SecureString \"[REDACTED:api_token]\" -AsPlainText -Force\nConvertTo-SecureString '[REDACTED:api_token]' -AsPlainText -Force\nConvertto-Securestring \"[REDACTED:api_token]\" -ASPLAINTEXT\nConvertTo-SecureString \"[REDACTED:api_token]\" `\n  -AsPlainText -Force\n$s = \"[REDACTED:api_token]\" |\n  ConvertTo-SecureString -AsPlainText\n$c = [System.Net.NetworkCredential]::new('bob', '[REDACTED:api_token]')\n$p = ConvertTo-SecureString -String:\"[REDACTED:api_token]\" -AsPlain -Force\n$p = ConvertTo-SecureString (\"[REDACTED:api_token]\") -AsPlainText\nvar c = new NetworkCredential(@\"CORP\\bob\",\n    \"[REDACTED:api_token]\");",
  },
  {
    name: "no password piped into a SecureString: a command's argument before the pipe; a password read from the user",
    text: 'Get-Content "C:\\secrets\\pw.txt" | ConvertTo-SecureString -AsPlainText -Force\nRead-Host "Enter the password" | ConvertTo-SecureString -AsPlainText\n$password = Read-Host "Password" -AsSecureString\nvar c = new NetworkCredential(user, $"{cfg["pw"]}");',
    kinds: [],
    equals: 'Get-Content "C:\\secrets\\pw.txt" | ConvertTo-SecureString -AsPlainText -Force\nRead-Host "Enter the password" | ConvertTo-SecureString -AsPlainText\n$password = Read-Host "Password" -AsSecureString\nvar c = new NetworkCredential(user, $"{cfg["pw"]}");',
  },
  {
    name: "a SecureString's password assigned with no space, NetworkCredential after a variable's user",
    text: '$pw=ConvertTo-SecureString "FakePw631x" -AsPlainText -Force\n@{Password=ConvertTo-SecureString \'FakePw632x\' -AsPlainText -Force}\n$c = New-Object System.Net.NetworkCredential -ArgumentList $user, "FakePw633x"\n$wc.Credentials = New-Object System.Net.NetworkCredential($user, "FakePw634x")\n[System.Net.NetworkCredential]::new($env:USERNAME, "FakePw635x")',
    kinds: ["api_token"],
    equals: '$pw=ConvertTo-SecureString "[REDACTED:api_token]" -AsPlainText -Force\n@{Password=ConvertTo-SecureString \'[REDACTED:api_token]\' -AsPlainText -Force}\n$c = New-Object System.Net.NetworkCredential -ArgumentList $user, "[REDACTED:api_token]"\n$wc.Credentials = New-Object System.Net.NetworkCredential($user, "[REDACTED:api_token]")\n[System.Net.NetworkCredential]::new($env:USERNAME, "[REDACTED:api_token]")',
  },
  {
    name: "no password made a SecureString: a variable, a file's content, an encrypted string, prose, a placeholder; NetworkCredential of variables",
    text: 'ConvertTo-SecureString $pw -AsPlainText -Force\nConvertTo-SecureString -String $env:SVC_PW -AsPlainText\n"$pw" | ConvertTo-SecureString -AsPlainText -Force\nConvertTo-SecureString (Get-Content pw.txt) -AsPlainText -Force\nConvertTo-SecureString "01000000d08c9ddf0115d1118c7a00c04fc297eb01000000"\nThe ConvertTo-SecureString cmdlet failed\nConvertTo-SecureString "<password>" -AsPlainText\nnew NetworkCredential(user, password)\nnew NetworkCredential("bob", "<password>")',
    kinds: [],
    equals: 'ConvertTo-SecureString $pw -AsPlainText -Force\nConvertTo-SecureString -String $env:SVC_PW -AsPlainText\n"$pw" | ConvertTo-SecureString -AsPlainText -Force\nConvertTo-SecureString (Get-Content pw.txt) -AsPlainText -Force\nConvertTo-SecureString "01000000d08c9ddf0115d1118c7a00c04fc297eb01000000"\nThe ConvertTo-SecureString cmdlet failed\nConvertTo-SecureString "<password>" -AsPlainText\nnew NetworkCredential(user, password)\nnew NetworkCredential("bob", "<password>")',
  },
  { name: "a tool's name after a relative Windows path, as PowerShell runs one", text: 'PS C:\\tools> .\\sqlcmd.exe -S db -U sa -P FakePw701x\n& ..\\bin\\SQLCMD.EXE -S db -P FakePw702x\n{"cmd":".\\\\mysql.exe -uroot -pFakePw703x"}\ncopy .\\data\\mysql -pool\nStart-Process .\\sqlcmd.exe -PassThru -Wait\nInvoke-Command { .\\sqlcmd.exe -S db -P FakePw704x }\ncmd /c .\\mysql.exe -pFakePw705x', kinds: ["connection_string"], equals: 'PS C:\\tools> .\\sqlcmd.exe -S db -U sa -P [REDACTED:connection_string]\n& ..\\bin\\SQLCMD.EXE -S db -P [REDACTED:connection_string]\n{"cmd":".\\\\mysql.exe -uroot -p[REDACTED:connection_string]"}\ncopy .\\data\\mysql -pool\nStart-Process .\\sqlcmd.exe -PassThru -Wait\nInvoke-Command { .\\sqlcmd.exe -S db -P [REDACTED:connection_string] }\ncmd /c .\\mysql.exe -p[REDACTED:connection_string]' },
  { name: "a tool's password option in a printed list of arguments: Python's CalledProcessError, a JSON array", text: "Command '['sqlcmd', '-S', 'db', '-U', 'sa', '-P', 'FakePw501x', '-Q', 'SELECT 1']' returned non-zero exit status 1.\n{\"args\":[\"mongosh\",\"-u\",\"admin\",\"-p\",\"FakePw503x\"]}\n['docker', 'login', '-u', 'ci', '-p', 'FakePw504x', 'registry.example.test']\n['curl', '-u', 'svc:FakePw506x', 'https://x']\n['rabbitmqctl', 'add_user', 'app', 'FakePw508x']\n['docker', 'run', '-p', '8080:80', 'nginx']", kinds: ["connection_string", "api_token"], equals: "Command '['sqlcmd', '-S', 'db', '-U', 'sa', '-P', '[REDACTED:connection_string]', '-Q', 'SELECT 1']' returned non-zero exit status 1.\n{\"args\":[\"mongosh\",\"-u\",\"admin\",\"-p\",\"[REDACTED:connection_string]\"]}\n['docker', 'login', '-u', 'ci', '-p', '[REDACTED:api_token]', 'registry.example.test']\n['curl', '-u', 'svc:[REDACTED:api_token]', 'https://x']\n['rabbitmqctl', 'add_user', 'app', '[REDACTED:api_token]']\n['docker', 'run', '-p', '8080:80', 'nginx']" },
  { name: "a command after JSON's escaped line break or tab is a command: MySQL's -p, a tool's option, a path before it", text: String.raw`{"script":"set -e\nmysql -uroot -pFakePw140 app","run":"cd /app\nsqlcmd -S db -P FakePw141","b":"x\ncurl -u bob:FakePw142 https://api.example.test","c":"a\n/usr/bin/mysql -pFakePw143","d":"x\nC:\\Tools\\sqlcmd.exe -P FakePw144","e":"echo\tredis-cli -a FakePw145"}`, kinds: ["connection_string", "api_token"], equals: String.raw`{"script":"set -e\nmysql -uroot -p[REDACTED:connection_string] app","run":"cd /app\nsqlcmd -S db -P [REDACTED:connection_string]","b":"x\ncurl -u bob:[REDACTED:api_token] https://api.example.test","c":"a\n/usr/bin/mysql -p[REDACTED:connection_string]","d":"x\nC:\\Tools\\sqlcmd.exe -P [REDACTED:connection_string]","e":"echo\tredis-cli -a [REDACTED:connection_string]"}` },
  { name: "a Windows path's \\r or \\n before a tool's option is no line break: after a drive, or before a further \\ or an extension", text: String.raw`sqlcmd.exe -S db -o C:\reports\out.txt -U sa -P FakePw146
C:\>sqlcmd -S db -i D:\scripts\nightly\run.sql -P FakePw147
sqlcmd -o C:\reports -P FakePw148
redis-cli.exe --tls --cacert C:\certs\root.pem -a FakePw149 ping`, kinds: ["connection_string"], gone: ["FakePw146", "FakePw147", "FakePw148", "FakePw149"], kept: [String.raw`C:\reports\out.txt`, String.raw`D:\scripts\nightly\run.sql`, " ping"] },
  { name: "JSON's escaped line break still ends a command: a later command's option is kept", text: String.raw`{"run":"sqlcmd -S db -Q x\ngrep -P foo","r":"sqlcmd -i a.sql\nrun -P 8080"}`, kinds: [] },
  { name: "a tool's bare option value ends at JSON's escaped line break before the next line: the next line's first word is kept (in JSON inside JSON, where \\\\n may be a value's backslash, it is taken)", text: String.raw`{"log":"docker login -u ci -p FakePw150\nls -la\r\nmysql -uroot -pFakePw151\necho done","j":"{\"s\":\"sqlcmd -S db -P FakePw152\\ngit log -a main\"}","e":"redis-cli -a FakePw153\n"}`, kinds: ["api_token", "connection_string"], equals: String.raw`{"log":"docker login -u ci -p [REDACTED:api_token]\nls -la\r\nmysql -uroot -p[REDACTED:connection_string]\necho done","j":"{\"s\":\"sqlcmd -S db -P [REDACTED:connection_string] log -a main\"}","e":"redis-cli -a [REDACTED:connection_string]\n"}` },
  { name: "a bare option value keeps a backslash before n, r or t inside it, and at its start; one that looks like a placeholder before such a cut is still taken", text: String.raw`app --password Fk\tgS\nf93S\\b --port 5432
app --access-token \r\\bpFakePw154 --x
mysql -pFake\nPw155x+ app
sqlcmd -S db -P Fk\tCd157 -Q x
{"cmd":"mysql -uroot -pQA\\new2024x app","b":"docker login -u ci -p Token\\nfakepw158 ghcr.io","c":"sqlcmd -P ADMIN\\tfakepw159 -Q x"}`, kinds: ["api_token", "connection_string"], gone: ["gS", "93S", "FakePw154", "Pw155x", "Cd157", "QA", "ew2024x", "fakepw158", "fakepw159"], kept: [" --port 5432", " --x", " app", " -Q x", " ghcr.io"] },
  { name: "a Windows path in JSON inside JSON before a tool's name, after an escaped line break", text: String.raw`{"log":"{\"script\":\"set -e\\nC:\\\\Tools\\\\sqlcmd.exe -S db -P FakePw156\\nmake -j4\"}"}`, kinds: ["connection_string"], equals: String.raw`{"log":"{\"script\":\"set -e\\nC:\\\\Tools\\\\sqlcmd.exe -S db -P [REDACTED:connection_string] -j4\"}"}` },
  { name: "a value with a backslash before n, r or t and a capital or digit is taken whole, also when its first part looks like a placeholder", text: String.raw`mysql -uroot -pADMIN\nFake2024 db
C:\> sqlcmd -S db -U sa -P P\nFake4ss -Q "x"
docker login -u bot -p Token\nFake7fA9 ghcr.io
+ curl -u admin:XY\nFake9z https://x
{"log":"sqlcmd -S db -U sa -P P\\nFake4ss -Q x"}`, kinds: ["api_token", "connection_string"], gone: ["ADMIN", "Fake2024", "P\\nFake4ss", "Fake7fA9", "Fake9z", "Fake4ss"], kept: [" db", ` -Q "x"`, " ghcr.io", " https://x", " -Q x"] },
  { name: "a line break in JSON is no Windows path's separator unless the argument starts with a drive or a UNC path: the next line's options are kept", text: String.raw`{"script":"sqlcmd -S db -i schema.sql\n./mvnw -P integration verify","b":"sqlcmd -S db -i schema.sql\nmvn.cmd -P release package","c":"sqlcmd -S db -i schema.sql\r\n./deploy.sh -P prod","d":"docker login ghcr.io -u bot --password-stdin\nnode.exe srv.js -p 3000","e":"mongosh --eval 'db.x()'\n./gradlew -p subproject build","f":"keytool -list -v\nreport.txt -storepass written"}`, kinds: [] },
  { name: "outside a JSON string a backslash before n, r or t is a value's own, and a value holding one is taken whole; one that looks like a placeholder before a JSON line break is taken too", text: String.raw`mysql -uroot -pS3cr\tokyoFake db
sqlcmd -S db -U sa -P Pa55\nwordfake -Q "select 1"
docker login -u ci -p Summer\tokuhyi ghcr.io
mysql -uroot -pADMIN\n\nFake2024x db
{"cmd":"mysql -uroot -pADMIN\n\n2024x db"}`, kinds: ["api_token", "connection_string"], gone: ["tokyoFake", "wordfake", "okuhyi", "Fake2024x", "ADMIN"], kept: [" db\n", ` -Q "select 1"`, " ghcr.io", String.raw`\n\n2024x db"}`] },
  { name: "a JSON line break after a Windows path with a drive ends the command", text: String.raw`{"script":"sqlcmd -S db -E -i C:\\sql\\init.sql\n./mvnw -P integration verify","b":"sqlcmd -S db -i D:\\deploy\\schema.sql\nmvn -P release deploy","c":"sqlcmd -S db -E -o C:\\logs\nrun.cmd -P 8080"}`, kinds: [] },
  { name: "a tool's password option: a later command in the same JSON string or array keeps its options", text: String.raw`{"script":"docker login -u ci --password-stdin ghcr.io\ndocker compose -p webapp up -d","run":"sqlcmd -S db -Q \"select 1\"\ngrep -P '^x+' out.txt","steps":["redis-cli -h cache ping","git log -a main"],"more":["az login --identity","az vm create -n x -p 22"]}`, kinds: [] },
  { name: "a tool's password option: a quote that closes the argument, code that builds the command, a variable in a quoted user", text: "curl -u \"$API_KEY:\" -H \"Content-Type: application/json\" https://x\ncurl -u \":\" -H \"Accept: x\" https://x\nsmbclient -L //host -U 'guest%' -c 'ls'\ncmd = [\"sqlcmd\", \"-S\", server, \"-P\", cfg[\"pw\"]]\nvar c = $\"sqlcmd -S db -P {cfg[\"pw\"]} -Q x\";\n\"redis-cli -a \"+pw+\" ping\"", kinds: [] },
  { name: "a tool's password option: a quoted value with spaces in a list, after pass:, after an email as the user; more forms of the same tools", text: "Command '['sqlcmd', '-S', 'db', '-P', 'correct fake battery', '-Q', 'x']' returned non-zero exit status 1.\n{\"argv\":[\"redis-cli\",\"-a\",\"correct fake staple\"]}\nopenssl pkcs12 -export -passout \"pass:correct fake horse\" -out c.p12\ncurl -u svc@example.test:FakePw601x https://x\naz acr login -n reg -u bob -p FakePw602x\ncrane auth login reg -u bob -p FakePw603x\nredis-cli --pass FakePw604x ping\nldappasswd -x -D cn=a -w FakePw605x -s FakePw606x uid=bob\ncurl -uadmin:FakePw607x https://x\nldapsearch -wFakePw608x -x", kinds: ["connection_string", "api_token", "email"], equals: "Command '['sqlcmd', '-S', 'db', '-P', '[REDACTED:connection_string]', '-Q', 'x']' returned non-zero exit status 1.\n{\"argv\":[\"redis-cli\",\"-a\",\"[REDACTED:connection_string]\"]}\nopenssl pkcs12 -export -passout \"pass:[REDACTED:api_token]\" -out c.p12\ncurl -u [REDACTED:email]:[REDACTED:api_token] https://x\naz acr login -n reg -u bob -p [REDACTED:api_token]\ncrane auth login reg -u bob -p [REDACTED:api_token]\nredis-cli --pass [REDACTED:connection_string] ping\nldappasswd -x -D cn=a -w [REDACTED:api_token] -s [REDACTED:api_token] uid=bob\ncurl -uadmin:[REDACTED:api_token] https://x\nldapsearch -w[REDACTED:api_token] -x" },
  { name: "a tool's password option after a Windows path or prompt, or the tool's name in capitals, MySQL's -p too", text: String.raw`"C:\Program Files\Microsoft SQL Server\Client SDK\ODBC\170\Tools\Binn\SQLCMD.EXE" -S srv -U sa -P FakePw701x` + "\n" + String.raw`C:\Tools\sqlcmd.exe -S db -P FakePw702x` + "\nSQLCMD.EXE -S db -U sa -P FakePw703x\n" + String.raw`{"cmd":"C:\\Tools\\sqlcmd.exe -S db -P FakePw704x"}` + "\n" + String.raw`C:\mysql\bin\mysql.exe -uroot -pFakePw705x` + "\nMYSQL.EXE -uroot -pFakePw706x\n" + String.raw`C:\>sqlcmd -S db -U sa -P FakePw707x` + "\n" + String.raw`C:\Tools\docker.exe run -p 8080:80 x`, kinds: ["connection_string"], equals: String.raw`"C:\Program Files\Microsoft SQL Server\Client SDK\ODBC\170\Tools\Binn\SQLCMD.EXE" -S srv -U sa -P [REDACTED:connection_string]` + "\n" + String.raw`C:\Tools\sqlcmd.exe -S db -P [REDACTED:connection_string]` + "\nSQLCMD.EXE -S db -U sa -P [REDACTED:connection_string]\n" + String.raw`{"cmd":"C:\\Tools\\sqlcmd.exe -S db -P [REDACTED:connection_string]"}` + "\n" + String.raw`C:\mysql\bin\mysql.exe -uroot -p[REDACTED:connection_string]` + "\nMYSQL.EXE -uroot -p[REDACTED:connection_string]\n" + String.raw`C:\>sqlcmd -S db -U sa -P [REDACTED:connection_string]` + "\n" + String.raw`C:\Tools\docker.exe run -p 8080:80 x` },
  { name: "a tool's name as a Windows directory's last part, in capitals in prose, or after a path that is not a prompt: no command", text: String.raw`cl.exe /I C:\deps\mysql /DWIN32 -permissive- foo.c` + "\n" + String.raw`dotnet build C:\src\mysql -p:Configuration=Release` + "\n" + String.raw`robocopy C:\data\mysql D:\bak\mysql /E -purge` + "\n" + String.raw`java -cp C:\libs\mysql -port=8080 Main` + "\n" + String.raw`copy \\server\share\mysql -pattern foo` + "\n" + String.raw`{"dirs":["C:\\data\\mysql","-pool"]}` + "\nStart MYSQL -port 3306 then OSQL -P hunter2\n" + String.raw`[2026-12-06] ERROR C:\Services\MYSQL -port 3306 not reachable` + "\n" + String.raw`C:\temp\x.bat 2>mysql -pattern` + "\nSQLCMDxEXE -S db -P notapw1", kinds: [] },
  { name: "a tool's password option with no password: a help text, a placeholder, a variable, a reference, the option taking none, another tool's option of the same letter", text: "usage: sqlcmd [-U login id] [-P password] [-S server]\nsqlcmd -S db -U sa -P $SA_PASSWORD\nsqlcmd -S db -U sa -P \"$(cat /run/secrets/sa)\"\nsqlcmd -S db -U sa -P %SA_PASSWORD%\nsqlcmd -S db -U sa -P <password>\ndocker run -p 8080:80 nginx\ndocker login -u admin --password-stdin registry\ndocker login -u admin -p ${{ secrets.REGISTRY_TOKEN }} registry\nmongosh --port 27017 -u admin -p\ncurl -u admin https://x.example.test\ncurl --user \"${API_USER}:${API_KEY}\" https://api.example.test\nredis-cli -a \"$REDIS_PASSWORD\" ping\nopenssl pkcs12 -export -passout env:P12_PASS -out c.p12\nkeytool -list -storepass:env STOREPASS -keystore k.jks\nldapsearch -x -W -D cn=admin,dc=ex\nbcp -P is the password option\nrabbitmqctl add_user app $PASSWORD\naz vm create -p 22", kinds: [] },
  { name: "an ADO.NET password in double quotes holding doubled quotes is taken whole, also as a JSON string", text: String.raw`Server=db;User Id=sa;Password="ab""FakePw201";Encrypt=true connect failed: Server=tcp:db,1433;Password="x""y""FakePw202" {"cs":"Server=db;Password=\"cd\"\"FakePw203\";Encrypt=true"}`, kinds: ["connection_string"], equals: String.raw`Server=db;User Id=sa;Password=[REDACTED:connection_string];Encrypt=true connect failed: Server=tcp:db,1433;Password=[REDACTED:connection_string] {"cs":"Server=db;Password=[REDACTED:connection_string];Encrypt=true"}` },
  { name: "a password opening with a doubled quote (T-SQL) is not an empty value", text: "@provstr='Server=db;Password=''FakePw48'';Encrypt=yes' PWD=''FakePw49' USER=bob conn: 'Server=db;Password='')FakePw52'';User=bob' Password='']FakePw53'", kinds: ["connection_string"], gone: ["FakePw48", "FakePw49", "FakePw52", "FakePw53"] },
  { name: "a value in apostrophes ending in a backslash keeps its closing apostrophe", text: String.raw`{password: 'C:\fake\', hint: 'x'} api_key: 'C:\fake2\'`, kinds: ["api_token"], equals: String.raw`{password: '[REDACTED:api_token]', hint: 'x'} api_key: '[REDACTED:api_token]'` },
  { name: "spaced JSON between two strings is not a quoted value", text: '[ { "msg": "token:" }, { "user": "bob" } ] { "msg": "Password=" }, { "user": "bob" }', kinds: [], equals: '[ { "msg": "token:" }, { "user": "bob" } ] { "msg": "Password=" }, { "user": "bob" }' },
  { name: "JSON keys and literals between two strings are not a value, in JSON inside JSON too", text: JSON.stringify({ log: '[ { "level": "Pwd=" }, { "level": false, "token": ", FakePw50x", "user": "bob" } ]' }) + " " + JSON.stringify({ log: JSON.stringify({ log: '[{"client_secret": ", FakePw51x", "msg": "token:"},{},{}]' }) }), kinds: ["api_token"], gone: ["FakePw50x", "FakePw51x"], kept: ["level", "bob", "},{},{}]"] },
  { name: "an empty quoted password before a closing bracket", text: "DBConfig(host='db', user='bob', password='') loaded from env {password=''} user=bob", kinds: ["connection_string"], kept: [") loaded from env", "} user=bob"] },
  { name: "an empty quoted password before a bracket and code or another field", text: `db = connect(host='db', password='').cursor()  # user bob\npassword='')token: "FakePw54x"\n{password=''}{token:"FakePw55x"}\n{"cmd":"login(password='').then()","u":"bob"}`, kinds: ["connection_string", "api_token"], gone: ["FakePw54x", "FakePw55x"], kept: [").cursor()  # user bob", ").then()\",\"u\":\"bob\"}"] },
  { name: "a secret's name where a password goes is not the password: the value after it is taken", text: 'Password: "password": "fakepw9x" and Bearer client_secret: FAKEfake0000fake and Password= token: FAKEfake1111fake and Pwd= \\"db_password\\":\\"FAKEfake2222fake', kinds: ["api_token", "bearer_credential", "connection_string"], gone: ["fakepw9x", "FAKEfake0000fake", "FAKEfake1111fake", "FAKEfake2222fake"] },
  { name: "a semicolon-ended password ending in a lone backslash", text: "Server=db;Password=Z\tfake\\ ;Encrypt=true", kinds: ["connection_string"], gone: ["fake"], kept: ["Encrypt=true"] },
  { name: "a one-word value does not run into the next password field", text: String.raw`Pwd=\"Pwd='fakepw4`, kinds: ["connection_string", "api_token"], gone: ["fakepw4"] },
  { name: "a URL password in JSON from PHP's encoder (slashes escaped)", text: String.raw`{"dsn":"postgres:\/\/app:FakePhpPass31@db.internal:5432\/app","retry":true}`, kinds: ["connection_string"], equals: '{"dsn":"postgres://[REDACTED:connection_string]@db.internal:5432/app","retry":true}' },
  { name: "a password field in JSON inside JSON from .NET's encoder (quotes as \\u0022)", text: String.raw`{"level":"error","log":"{\u0022password\u0022:\u0022fake net pw 32\u0022,\u0022user\u0022:\u0022bob\u0022}"}`, kinds: ["api_token"], equals: String.raw`{"level":"error","log":"{\"password\":\"[REDACTED:api_token]\",\"user\":\"bob\"}"}` },
  { name: "a SAS signature after .NET's \\u0026, and an email and a card behind \\u escapes", text: String.raw`{"url":"https:\/\/fake.blob.core.windows.net\/c\/b.txt?sv=2024-01-01\u0026sr=b\u0026sig=FakeNetSasSig33%2B0000%3D","to":"jane.fake\u0040example.com","card":"4111\u00201111\u00201111\u00201111"}`, kinds: ["cloud_access_key", "email", "card_number"], gone: ["FakeNetSasSig33", "jane.fake", "1111"] },
  { name: "a spaced connection-string password in .NET-escaped quotes travels as JSON.stringify writes it", text: String.raw`{"cmd":"sqlcmd \u0022Server=db;Password=fake net pw 34;\u0022","n":"caf\u00E9"}`, kinds: ["connection_string"], equals: String.raw`{"cmd":"sqlcmd \"Server=db;Password=[REDACTED:connection_string];\"","n":"café"}` },
  { name: "JSON escaped otherwise than JSON.stringify escapes it, with nothing in it, travels as written", text: String.raw`{"path":"C:\\temp\\x","u":"https:\/\/example.com\/a","n":"caf\u00E9 \u0026 more","q":"\u0022quoted\u0022"}`, kinds: [], equals: String.raw`{"path":"C:\\temp\\x","u":"https:\/\/example.com\/a","n":"caf\u00E9 \u0026 more","q":"\u0022quoted\u0022"}` },
  { name: "a field ending in 'Password=' before the next field in Node's inspect output, YAML flow, Python's repr and a JavaScript literal: the next field's secret goes, its name stays", text: "{ msg: 'missing Password=', token: 'FakeTok60x', user: 'bob' }\n{hint: 'Password=', n: 1, password: 'FakeTok61x'}\n{'msg': 'missing Password=', 'token': 'FakeTok62x'}\n{ msg: \"missing Password=\", token: \"FakeTok63x\", user: \"bob\" }", kinds: ["api_token"], equals: "{ msg: 'missing Password=', token: '[REDACTED:api_token]', user: 'bob' }\n{hint: 'Password=', n: 1, password: '[REDACTED:api_token]'}\n{'msg': 'missing Password=', 'token': '[REDACTED:api_token]'}\n{ msg: \"missing Password=\", token: \"[REDACTED:api_token]\", user: \"bob\" }" },
  { name: "a password field's value after a closing apostrophe with no field name after it is still taken", text: "f('Password=', 'FakePw64x')", kinds: ["connection_string"], gone: ["FakePw64x"] },
  { name: "a quoted password of punctuation, a word and a colon is a value, not a key between strings", text: 'x=1;Pwd=",FakePw65x:"\n"password": \',FakePw66x:\'', kinds: ["connection_string", "api_token"], gone: ["FakePw65x", "FakePw66x"] },
  { name: "a bare secret holding '&' (not before a parameter's name and '=') or an apostrophe between letters, written plainly or escaped by .NET's and Go's encoders", text: String.raw`{"Message":"SQL login failed, token=Tr0ub4dor\u00263 rejected"} {"msg":"oauth client_secret=9fQe\u0026a7b6c5d4 used"} secret=it'sFakeSecret67 api_key=Fk68&defghij`, kinds: ["api_token"], gone: ["Tr0ub4dor", "&3", "9fQe", "a7b6c5d4", "sFakeSecret67", "Fk68", "defghij"], kept: ["rejected", "used"] },
  { name: "a query parameter after a bare secret is not part of it", text: "GET https://app.example/cb?token=FakeTok69x&next=/home&state=abc", kinds: ["api_token"], equals: "GET https://app.example/cb?token=[REDACTED:api_token]&next=/home&state=abc" },
  { name: "a .NET-escaped log line cut off inside its JSON string, even inside an escape", text: String.raw`{"log":"{\u0022user\u0022:\u0022app\u0022,\u0022password\u0022:\u0022Fake Net Pass 70\u0022,\u0022msg\u0022:\u0022conn` + "\n" + String.raw`{"log":"{\u0022password\u0022:\u0022Fake Net Pass 71\u0022,\u0022msg\u0022:\u00`, kinds: ["api_token"], gone: ["Net Pass 70", "Net Pass 71"], kept: [String.raw`\"msg\":\"conn`, String.raw`\"msg\":\u00`] },
  { name: "a .NET-escaped log line longer than the scan's reach, its password early", text: String.raw`{"log":"{\u0022user\u0022:\u0022app\u0022,\u0022password\u0022:\u0022Fake Net Pass 73\u0022,\u0022detail\u0022:\u0022${"x ".repeat(6000)}\u0022}"}`, kinds: ["api_token", "truncated"], gone: ["Net Pass 73"] },
  { name: "a secret found after a redaction took the invalid escape that kept a JSON string from being read", text: String.raw`{"msg":"token=\x41\x42\x43\x44\x45\x46 db postgres:\/\/app:FakePw72x@db\/x"}`, kinds: ["api_token", "connection_string"], gone: ["FakePw72x"] },
  { name: "not a secret: a contraction after a secret's name in a validation message", text: "validation error: password: doesn't match; token: wasn't refreshed; api_key: hasn't been set; secret: that's all", kinds: [], equals: "validation error: password: doesn't match; token: wasn't refreshed; api_key: hasn't been set; secret: that's all" },
  { name: "HTML-escaped and bracketed query parameters after a bare secret are not part of it", text: "/cb?token=FakeTok74x&amp;state=xyz&amp;code=1 and /api?token=FakeTok75x&filter[status]=open&page=2", kinds: ["api_token"], equals: "/cb?token=[REDACTED:api_token]&amp;state=xyz&amp;code=1 and /api?token=[REDACTED:api_token]&filter[status]=open&page=2" },
  { name: "a secret in double quotes never closed that starts with an apostrophe or '&', or holds '&x=', in JSON cut off (written by .NET's encoder, then as is)", text: String.raw`{"user":"bob","password":"\u0027FakePw76\u003Ex` + "\n" + `{"user":"bob","password":"&FakePw77x\n{"user":"bob","token":"ab&cd=FakePw78x`, kinds: ["api_token"], gone: ["FakePw76", "FakePw77x", "FakePw78x"] },
  { name: "a secret in apostrophes holding an apostrophe before a letter or digit, or one starting with '&', or an apostrophe between letters of any script", text: "passwd: 'FakePw79'pbQtwBa' ok\nServer=db;password='FakePw80'4VQmMVg.EoQv7bf'. ok\nAccountKey: &FakePw81~*L7QeGCe ok\nsecret: ßwcQ4Squ'é9wQFakePw82 ok", kinds: ["api_token", "connection_string"], gone: ["FakePw79", "pbQtwBa", "FakePw80", "4VQmMVg", "EoQv7bf", "FakePw81", "L7QeGCe", "FakePw82"], kept: [" ok\nServer=db;", ". ok\nAccountKey", " ok\nsecret", " ok"] },
  { name: "an apostrophe that closes a quoted secret before the next field is not part of it", text: "{'password': 'FakePw83x', 'user': 'bob'} and password: 'FakePw84x'token=FakePw85x", kinds: ["api_token"], gone: ["FakePw83x", "FakePw84x", "FakePw85x"], kept: ["'user': 'bob'}"] },
  { name: "a possessive or contraction inside a password is part of it; '&' before a bracket that does not open a parameter, and an HTML-escaped '&' inside a value", text: "POSTGRES_PASSWORD=Fido's!\nDB_PASSWORD=Xk9'd-FakePw87\nsecret=Lv&FakePw88]9=mJz\ntoken=ab&amp;FakePw89", kinds: ["api_token"], gone: ["Fido", "Xk9", "FakePw87", "Lv&", "FakePw88", "FakePw89"] },
  { name: "a quoted password's closing apostrophe before CJK punctuation or compact SQL is where it ends", text: "密码错误 password='FakePw90'。请重试 '确定'\nWHERE password='FakePw91'AND user='bob'", kinds: ["connection_string"], gone: ["FakePw90", "FakePw91"], kept: ["。请重试 '确定'", "AND user='bob'"] },
  { name: "a passphrase in apostrophes holding apostrophes and spaces is taken whole", text: "login failed: password='it's a FakePw92 secret' user=bob\npassword: 'Tom's FakePw93'\n{'password': 'ab'cd FakePw94', 'user': 'x'}\nDB_PASSWORD='we're_dog's_FakePw95'", kinds: ["connection_string", "api_token"], gone: ["FakePw92", "FakePw93", "FakePw94", "FakePw95", "secret'"], kept: [" user=bob", "'user': 'x'}"] },
  { name: "a percent-encoded parameter after a bare secret, and a contraction before punctuation after a secret's name, are not part of it", text: "GET /api/items?token=FakeTok96x&filter%5Bstatus%5D=active&page=2 password: doesn't. {\"log\":\"token: can't\\n\"}", kinds: ["api_token"], equals: "GET /api/items?token=[REDACTED:api_token]&filter%5Bstatus%5D=active&page=2 password: doesn't. {\"log\":\"token: can't\\n\"}" },
  { name: "an apostrophe before a currency sign or a Vietnamese letter inside a quoted password; a contraction before a quote or '?' after a secret's name; a parameter name starting with a percent-escape", text: "{'Password': 'é'C8Hcb-FakePw97'€'8', 'user': 'bob'}\npassword='Ab'Ẩ12345FakePw98'\n{\"error\":\"invalid password: doesn't\"} token: wasn't?\nhttps://x/?token=FakeTok99x&%24filter=a", kinds: ["api_token", "connection_string"], gone: ["FakePw97", "€'8", "FakePw98", "FakeTok99x"], kept: ["'user': 'bob'}", "password: doesn't\"}", "token: wasn't?", "&%24filter=a"] },
  { name: "a field ending in a secret's name before the next assignment in an env file or the next option on a command line: the next field's secret goes, its name stays", text: "LEVEL='Password=' CLIENT_SECRET='{FakePw100}' LEVEL='-2.5'\napp --note=\"Pwd=\" --AccountKey=\"'FakePw101\" --hint=\"token:\" --db-password=\"FakePw102\" --user=\"bob\"", kinds: ["api_token", "connection_string"], gone: ["FakePw100", "FakePw101", "FakePw102"], kept: ["LEVEL='Password='", "--note=\"Pwd=\"", "--user=\"bob\""] },
  { name: "a secret in escaped quotes inside double quotes on a command line, and a double-quoted path ending in a backslash before the next option", text: 'app --AccountKey="\\"FakePw103\\"" --x=1\nPassword="C:\\fake104\\" --level="x"', kinds: ["connection_string"], gone: ["FakePw103", "fake104"], kept: [" --x=1", "--level=\"x\""] },
  { name: "a secret in escaped quotes inside double quotes before code or punctuation, a password holding an escaped quote before a method call, and a path ending in a backslash before the next option", text: 'const token = "\\"FakeTok105x\\"".trim();\nTOKEN="\\"FakeTok106x\\""&&./run.sh\npassword = "hunt\\"FakePw107".encode("utf-8")\n--password="C:\\keys\\FakePw108\\" --user="" --hint="x"', kinds: ["api_token", "connection_string"], gone: ["FakeTok105x", "FakeTok106x", "FakePw107", "FakePw108"], kept: [".trim();", "&&./run.sh", ".encode(\"utf-8\")", "--user=\"\" --hint=\"x\""] },
  { name: "a doubled apostrophe (YAML's and SQL's escape) inside a value in apostrophes is part of it, first character too", text: "secret: '''FakePw109'\nuser: bob\nWHERE password='it''s a FakePw110' AND user='bob'\npassword: 'dog''s_FakePw111'", kinds: ["api_token", "connection_string"], gone: ["FakePw109", "FakePw110", "FakePw111", "s a "], kept: ["\nuser: bob\n", " AND user='bob'"] },
  { name: "a quoted secret in JSON or YAML holding an escaped quote before spaces and a name and '='", text: '{"password":"a\\" b=FakePw112"}\npassword: "Qz9\\" x=FakePw113"\nuser: bob', kinds: ["api_token"], gone: ["FakePw112", "FakePw113"], kept: ["\nuser: bob"] },
  { name: "a secret key's name written as a dotted property (Spring, Java properties, YAML keys)", text: 'stripe.api.key=FakeKey120x\n{"private.key":"FakeKey121x"}\naws.secret.key: FakeKey122x\ncache.key=FakeKey123x', kinds: ["api_token"], gone: ["FakeKey120x", "FakeKey121x", "FakeKey122x"], kept: ["stripe.api.key=", '{"private.key":"', "aws.secret.key: ", "cache.key=FakeKey123x"] },
  { name: "a secret in backticks: a JavaScript template literal, or a string Node's inspect prints in backticks", text: "const cfg = { password: `correct horse FakePw124` };\n{ token: `it's \"FakePw125\" \\` pw`, user: 'bob' }", kinds: ["api_token"], equals: "const cfg = { password: `[REDACTED:api_token]` };\n{ token: `[REDACTED:api_token]`, user: 'bob' }" },
  { name: "a secret holding an apostrophe as a shell quotes it ('\\'')", text: "export DB_PASSWORD='O'\\''Brien-FakePw126!'\ndocker run -e API_TOKEN='it'\\''s FakeTok127' app\npsql --token=''\\''FakeTok128x'\nconn: Server=db;Password='it'\\''s fake pw 129';User=bob", kinds: ["api_token", "connection_string"], gone: ["Brien", "FakePw126", "FakeTok127", "FakeTok128x", "fake pw 129"], kept: ["' app\n", ";User=bob"] },
  { name: "a secret option's value in the next argument, on a command line or in a printed list of arguments", text: "deploy --password FakePw130x\naz login -u x --client-secret \"fake pw 131\" --tenant t\nargv: [ 'node', 'app.js', '--token', 'FakeTok132x', '--user', 'bob' ]\n[\"app\",\"--api-key\", \"FakeKey133x\"]\n" + JSON.stringify({ cmd: 'app --password "fake pw 134" --verbose' }), kinds: ["api_token"], equals: "deploy --password [REDACTED:api_token]\naz login -u x --client-secret \"[REDACTED:api_token]\" --tenant t\nargv: [ 'node', 'app.js', '--token', '[REDACTED:api_token]', '--user', 'bob' ]\n[\"app\",\"--api-key\", \"[REDACTED:api_token]\"]\n" + JSON.stringify({ cmd: 'app --password "[REDACTED:api_token]" --verbose' }) },
  { name: "not a secret: prose, options and a help text's placeholders after a secret option's name", text: "error: --password is required\nuse --token to authenticate, or --password-stdin\napp --password --user bob\nUsage: app [--token TOKEN] [--client-secret <secret>]", kinds: [], equals: "error: --password is required\nuse --token to authenticate, or --password-stdin\napp --password --user bob\nUsage: app [--token TOKEN] [--client-secret <secret>]" },
  { name: "a database password glued to -p after a MySQL or MariaDB client, or after sshpass -p; a JWT glued to a one-letter option", text: "mysql -h db -P 3306 -uroot -pFakePw135 app\nmysqldump -u root -p'fake pw 136' app > dump.sql\nsshpass -p FakePw137 ssh host\ntool -p" + fakeJwt(), kinds: ["connection_string", "jwt"], gone: ["FakePw135", "fake pw 136", "FakePw137", fakeJwt()], kept: ["-P 3306", " app\n", " app > dump.sql", " ssh host"] },
  { name: "not a password: -p elsewhere, or a port after a MySQL client", text: "gcc -pthread -o app main.c\nserver -p8080\nmysql -P3306 -p\nmkdir -p /var/lib/mysql", kinds: [], equals: "gcc -pthread -o app main.c\nserver -p8080\nmysql -P3306 -p\nmkdir -p /var/lib/mysql" },
  { name: "a secret in apostrophes holding an escaped apostrophe, as JavaScript, Python's repr and Node's inspect write one", text: "{'password': '\\'FakePw138\"x', 'user': 'bob'}\nconst config = { password: 'pw\\'FakePw139=x', user: 'bob' };\nhost=db user=app password='\\'FakePw140=' sslmode=require", kinds: ["api_token", "connection_string"], gone: ["FakePw138", "FakePw139", "FakePw140"], kept: ["'user': 'bob'}", "user: 'bob' };", " sslmode=require"] },
  { name: "a field ending in a secret's name before a secret option's next argument, on a command line or in a printed list of arguments: the option's value goes", text: "app --msg \"missing Password=\" --password \"FakePw141!\"\n[ 'app', '--msg', 'missing Password=', '--password', 'FakePw142!' ]\n[\"app\", \"--hint\", \"Pwd=\", \"--token\", \"FakeTok143x\"]", kinds: ["api_token"], equals: "app --msg \"missing Password=\" --password \"[REDACTED:api_token]\"\n[ 'app', '--msg', 'missing Password=', '--password', '[REDACTED:api_token]' ]\n[\"app\", \"--hint\", \"Pwd=\", \"--token\", \"[REDACTED:api_token]\"]" },
  { name: "a secret option's name at the end of a string in JSON inside JSON takes nothing of the quote that ends it", text: [1, 2, 3].map((levels) => Array.from({ length: levels }).reduce<string>((text) => JSON.stringify({ a: text, n: 1 }), "run -Pwd ")).join("\n"), kinds: [], equals: [1, 2, 3].map((levels) => Array.from({ length: levels }).reduce<string>((text) => JSON.stringify({ a: text, n: 1 }), "run -Pwd ")).join("\n") },
  { name: "a secret option's name or -p at the end of a string in JSON takes nothing of the JSON after it", text: "{\"cmd\":\"mysql -uroot -p\",\"exit\":1} {\"steps\":[\"mysql -u root -p\",\"SHOW DATABASES;\"]} {\"m\":\"sshpass -p \",\"n\":\"x\"} {\"cmd\":\"deploy --token \"} [\"deploy --token \"]", kinds: [], equals: "{\"cmd\":\"mysql -uroot -p\",\"exit\":1} {\"steps\":[\"mysql -u root -p\",\"SHOW DATABASES;\"]} {\"m\":\"sshpass -p \",\"n\":\"x\"} {\"cmd\":\"deploy --token \"} [\"deploy --token \"]" },
  { name: "a secret option's value in a printed list: holding an escaped quote, one item a line, Go's %q, an inspect string in backticks", text: "[\"app\",\"--token\",\"ab\\\"FakeTok144x\"]\n[\n  '/usr/local/bin/node',\n  '--token',\n  'FakeTok145x'\n]\n[\"--api-key\" \"FakeKey146x\"]\n[ 'app', '--password', `it's \"FakePw147\" x` ]", kinds: ["api_token"], gone: ["FakeTok144x","FakeTok145x","FakeKey146x","FakePw147"], equals: "[\"app\",\"--token\",\"[REDACTED:api_token]\"]\n[\n  '/usr/local/bin/node',\n  '--token',\n  '[REDACTED:api_token]'\n]\n[\"--api-key\" \"[REDACTED:api_token]\"]\n[ 'app', '--password', `[REDACTED:api_token]` ]" },
  { name: "a password glued to -p in a list item, and option values after line continuations", text: "test: [\"CMD\", \"mysqladmin\", \"ping\", \"-uroot\", \"-pFakePw148\"]\nsubprocess.run(['mysqldump', '-u', 'root', '-pFakePw149', 'db'])\nmysql \\\n  -uroot \\\n  -pFakePw150 mydb\napp \\\n  --token \\\n  FakeTok151x", kinds: ["connection_string","api_token"], gone: ["FakePw148","FakePw149","FakePw150","FakeTok151x"], equals: "test: [\"CMD\", \"mysqladmin\", \"ping\", \"-uroot\", \"-p[REDACTED:connection_string]\"]\nsubprocess.run(['mysqldump', '-u', 'root', '-p[REDACTED:connection_string]', 'db'])\nmysql \\\n  -uroot \\\n  -p[REDACTED:connection_string] mydb\napp \\\n  --token \\\n  [REDACTED:api_token]" },
  { name: "a secret option's value in escaped quotes two levels down, and one starting with a word of prose run into more", text: "{\"log\":\"{\\\"cmd\\\":\\\"app --password \\\\\\\"Fake Pw 152\\\\\\\" db\\\"}\"}\napp --password The!FakePw153", kinds: ["api_token"], gone: ["Fake Pw 152","FakePw153"], equals: "{\"log\":\"{\\\"cmd\\\":\\\"app --password \\\\\\\"[REDACTED:api_token]\\\\\\\" db\\\"}\"}\napp --password [REDACTED:api_token]" },
  { name: "not a password: -p after mysql inside a path, a port mapping, ssh's port after sshpass -f, past a pipe, a placeholder", text: "gcc -I/usr/include/mysql -pthread -o app app.c -lmysqlclient\ndocker run --name mysql -p3306:3306 -d mysql:8\nsshpass -f ~/.pw ssh -p 2222 bob@host\nsystemctl status mysql | grep -pattern\nmysql -p[password]", kinds: [], equals: "gcc -I/usr/include/mysql -pthread -o app app.c -lmysqlclient\ndocker run --name mysql -p3306:3306 -d mysql:8\nsshpass -f ~/.pw ssh -p 2222 bob@host\nsystemctl status mysql | grep -pattern\nmysql -p[password]" },
  { name: "not a secret option's value: a help text's type or aligned description, a placeholder, prose, a negated option's argument", text: "      --password string   database password\n  --token     GitHub token   [string]\n  -s, --secret [secret]\nDeprecated: --password will be removed\napp --no-password db", kinds: [], equals: "      --password string   database password\n  --token     GitHub token   [string]\n  -s, --secret [secret]\nDeprecated: --password will be removed\napp --no-password db" },
  { name: "not a secret: shell redirection and substitution, CI and Helm expressions, masks and variables, command substitution in backticks, a template literal of expressions", text: "gh auth login --with-token < token.txt\nkubectl --token $(cat /run/secrets/token) get pods\n--token ${{ secrets.GH_TOKEN }}\n--token {{ .Values.token }}\n--token *** --password $DB_PASS\nTOKEN=`cat /run/secrets/token`\nconst key = { token: `${prefix}_${id}` };", kinds: [], equals: "gh auth login --with-token < token.txt\nkubectl --token $(cat /run/secrets/token) get pods\n--token ${{ secrets.GH_TOKEN }}\n--token {{ .Values.token }}\n--token *** --password $DB_PASS\nTOKEN=`cat /run/secrets/token`\nconst key = { token: `${prefix}_${id}` };" },
  { name: "not a password: -p after mysql named as an option's value, a host, a process or an output file", text: "docker run -d --name mysql -p127.0.0.1:3306:3306 -e X=1 mysql:8\ngcc main.c -o mysql -pthread -lm\nnc -zv mysql -p3306\nnmap mysql -p1-65535\nps aux | grep mysql -pid\nkubectl exec -it mysql -- bash -pc 'echo hi'", kinds: ["ip_address"], equals: "docker run -d --name mysql -p127.0.0.0/24:3306:3306 -e X=1 mysql:8\ngcc main.c -o mysql -pthread -lm\nnc -zv mysql -p3306\nnmap mysql -p1-65535\nps aux | grep mysql -pid\nkubectl exec -it mysql -- bash -pc 'echo hi'" },
  { name: "not a password: -p after a MySQL client in prose, or a variable or template expression", text: "Run mysql -u root -p.\n(e.g. mysql -uroot -p)\nThe mysql client reads -p, --password[=name] and -P, --port.\ntest: [\"CMD\", \"mysqladmin\", \"ping\", \"-h\", \"localhost\", \"-p$$MYSQL_ROOT_PASSWORD\"]\n\tmysql -u$(DB_USER) -p$(DB_PASS) $(DB_NAME) < schema.sql\nexecSync(`mysql -u ${user} -p${password} ${db}`)\n$\"mysql -u {user} -p{Password} {db}\"\nString[] cmd = {\"mysql\", \"-u\", user, \"-p\" + password, \"-e\", sql};", kinds: [], equals: "Run mysql -u root -p.\n(e.g. mysql -uroot -p)\nThe mysql client reads -p, --password[=name] and -P, --port.\ntest: [\"CMD\", \"mysqladmin\", \"ping\", \"-h\", \"localhost\", \"-p$$MYSQL_ROOT_PASSWORD\"]\n\tmysql -u$(DB_USER) -p$(DB_PASS) $(DB_NAME) < schema.sql\nexecSync(`mysql -u ${user} -p${password} ${db}`)\n$\"mysql -u {user} -p{Password} {db}\"\nString[] cmd = {\"mysql\", \"-u\", user, \"-p\" + password, \"-e\", sql};" },
  { name: "not a secret option's value: variables, templates, a description, its own name, docker's secret spec", text: "--password \"$password\" --token $env:GITHUB_TOKEN --api-key \"{{ db_password }}\" --secret ((db-password))\nargs: [\"--token\", \"$(GITHUB_TOKEN)\"]\n  --access-token Access token for the Azure Key Vault (optional)\n  --client-secret [Required] : The client secret.\nYou can pass --password directly, or set --token via env.\necho \"usage: $0 --password password\"\n@click.option('--api-key', 'api_key', envvar='API_KEY')\ndocker build --secret id=mytoken,env=TOKEN .", kinds: [], equals: "--password \"$password\" --token $env:GITHUB_TOKEN --api-key \"{{ db_password }}\" --secret ((db-password))\nargs: [\"--token\", \"$(GITHUB_TOKEN)\"]\n  --access-token Access token for the Azure Key Vault (optional)\n  --client-secret [Required] : The client secret.\nYou can pass --password directly, or set --token via env.\necho \"usage: $0 --password password\"\n@click.option('--api-key', 'api_key', envvar='API_KEY')\ndocker build --secret id=mytoken,env=TOKEN ." },
  { name: "a secret option's value in a list printed without quotes (Java) or as a YAML list, and a password glued to -p in one; a MySQL client inside a command", text: "[app, --token, FakeTok154x]\nCommand: [mysql, -uroot, -pFakePw155, app]\nargs:\n  - --password\n  - FakePw156x\nkubectl exec -it mysql -- mysql -uroot -pFakePw157", kinds: ["api_token","connection_string"], gone: ["FakeTok154x","FakePw155","FakePw156x","FakePw157"], equals: "[app, --token, [REDACTED:api_token]]\nCommand: [mysql, -uroot, -p[REDACTED:connection_string] app]\nargs:\n  - --password\n  - [REDACTED:api_token]\nkubectl exec -it mysql -- mysql -uroot -p[REDACTED:connection_string]" },
  { name: "not a secret option's value: JSON or code after a listed option", text: "{\"args\":[\"--password\",null]} [\"--token\",{\"fromEnv\":\"TOKEN\"}]\nparser.add_argument(\"--token\", help=\"GitHub token\")\nparam_decls = (\"--password\",)\nnew ProcessBuilder(\"java\", \"--password\", password).start();\nargs := []string{\"--password\", cfg.Password}", kinds: [], equals: "{\"args\":[\"--password\",null]} [\"--token\",{\"fromEnv\":\"TOKEN\"}]\nparser.add_argument(\"--token\", help=\"GitHub token\")\nparam_decls = (\"--password\",)\nnew ProcessBuilder(\"java\", \"--password\", password).start();\nargs := []string{\"--password\", cfg.Password}" },
  { name: "not a secret option's value: prose after a comma or before a parenthesis, a plural noun, a path, a placeholder word", text: "Without --token, requests are anonymous.\nUse the --ftp-password options for FTP.\nSpecify --access-token (or -t) to authenticate.\n--token / --password\ngpg --passwd user-id\nENTRYPOINT [\"app\", \"--token\", \"/run/secrets/token\"]", kinds: [], equals: "Without --token, requests are anonymous.\nUse the --ftp-password options for FTP.\nSpecify --access-token (or -t) to authenticate.\n--token / --password\ngpg --passwd user-id\nENTRYPOINT [\"app\", \"--token\", \"/run/secrets/token\"]" },
  { name: "docker's and gcloud's --secret take a secret's name, and mysql's and psql's --password no next argument; another tool's --secret takes a value", text: "docker service create --name redis --secret my_secret redis:alpine\ngcloud secrets versions access latest --secret my-secret\nmysql -u root --password mydb\nexec.Command(\"psql\", \"--password\", dsn)\napp --secret FakeSec158x", kinds: ["api_token"], gone: ["FakeSec158x"], equals: "docker service create --name redis --secret my_secret redis:alpine\ngcloud secrets versions access latest --secret my-secret\nmysql -u root --password mydb\nexec.Command(\"psql\", \"--password\", dsn)\napp --secret [REDACTED:api_token]" },
  { name: "not a secret option's value: an error message after a call's first argument, more prose words, Markdown code", text: "raise exceptions.BadArgumentException('--password', 'Password must be specified with --host.')\nthrow new InvalidArgumentError('--token', 'Token is required')\nFlag --password has been deprecated, use --token instead\nAdds a --password arg to the given parser.\n--password doesn't work here\nPass `--token string` on the command line.\n(`mysql -u root -p.` in prose)", kinds: [], equals: "raise exceptions.BadArgumentException('--password', 'Password must be specified with --host.')\nthrow new InvalidArgumentError('--token', 'Token is required')\nFlag --password has been deprecated, use --token instead\nAdds a --password arg to the given parser.\n--password doesn't work here\nPass `--token string` on the command line.\n(`mysql -u root -p.` in prose)" },
  { name: "not a secret: a key's file name in a path, -p before a JSON escape, keywords and file names as an option's value, string concatenation, a template literal with expressions", text: "      - ./certs/private.key:/etc/ssl/private.key:ro\nopen /etc/ssl/private.key: permission denied\n{\"log\":\"+ mysql -uroot -p\\n\",\"stream\":\"stderr\"}\n--private-key key.pem --credentials /creds.json --token @token.txt --password stdin --token none --password env:DB_PASSWORD\nconst cmd = \"deploy --token \" + token + \" --env prod\";\n['--token', `Bearer ${token}`]", kinds: [], equals: "      - ./certs/private.key:/etc/ssl/private.key:ro\nopen /etc/ssl/private.key: permission denied\n{\"log\":\"+ mysql -uroot -p\\n\",\"stream\":\"stderr\"}\n--private-key key.pem --credentials /creds.json --token @token.txt --password stdin --token none --password env:DB_PASSWORD\nconst cmd = \"deploy --token \" + token + \" --env prod\";\n['--token', `Bearer ${token}`]" },
  { name: "a secret field right after a slash (a URL's path) is still one; only a key's file name there is not", text: "GET https://x.example/v1/api_key=FakeKey159x\nPOST /auth/password=FakePw160x&x=1\nopen /etc/ssl/private.key: permission denied", kinds: ["api_token", "connection_string"], gone: ["FakeKey159x", "FakePw160x"], kept: ["/etc/ssl/private.key: permission denied"] },
  { name: "secrets that look like what the option rules leave: a list built by a call, a dotted key after a JSON newline or in a URL path, a keyword or @ at a value's start, a leading + or a template literal's text", text: "args.push('--token', 'FakeTok161x')\nList.of(\"--password\", \"FakePw162!x\")\n{\"content\":\"db.url=x\\napi.key=FakeKey163x\"}\nGET /x/api.key=FakeKey164x\n--password \"None FakePw165 Pass!\"\n--password true,FakePw166\n--token @FakeTok167x\n--password \"+FakePw168\"\n[\"--token\", `Abc${x}FakeTok169`]", kinds: ["api_token"], gone: ["FakeTok161x", "FakePw162", "FakeKey163x", "FakeKey164x", "FakePw165", "FakePw166", "FakeTok167x", "FakePw168", "FakeTok169"] },
  { name: "a secret as an XML element's text: Maven's settings, a namespaced or dotted name, CDATA, on lines of its own, XML in JSON", text: "<server><id>repo</id><username>bob</username><password>FakePw801x</password></server>\n<db:password>FakePw802x</db:password> <ClientSecret>FakeSec803x</ClientSecret> <spring.datasource.password>FakePw804x</spring.datasource.password>\n<apiKey><![CDATA[Fake<Key>805x]]></apiKey>\n<passphrase>\n  Fake Pw 806\n</passphrase>\n" + String.raw`{"settings":"<token>FakeTok807x<\/token>"}` + JSON.stringify({ nested: JSON.stringify({ xml: "<secret>FakeSec808x</secret>" }) }), kinds: ["api_token"], gone: ["FakePw801x", "FakePw802x", "FakeSec803x", "FakePw804x", "Fake<Key>805x", "Fake Pw 806", "FakeTok807x", "FakeSec808x"], kept: ["<username>bob</username><password>[REDACTED:api_token]</password></server>", "<apiKey><![CDATA[[REDACTED:api_token]]]></apiKey>", "<passphrase>\n  [REDACTED:api_token]\n</passphrase>"] },
  { name: "a secret in an XML element whose key or name attribute says secret, or after a name element that does", text: "<add key=\"ClientSecret\" value=\"FakeSec809x\" />\n<add key=\"ClearTextPassword\" value='FakePw810x'/>\n<property name=\"password\" value=\"FakePw811x\"/> <property name=\"hibernate.connection.password\">FakePw812x</property>\n<setting name=\"ApiToken\" serializeAs=\"String\">\n  <value>FakeTok813x</value>\n</setting>\n<string name=\"maps_api_key\">FakeKey814x</string> <entry key=\"db.password\">FakePw815x</entry> <Set name=\"password\">FakePw816x</Set>\n<meta name=\"csrf-token\" content=\"FakeTok817x\"> <input type=\"password\" name=\"pw\" value=\"FakePw818x\">\n<property>\n  <name>fs.s3a.secret.key</name>\n  <value>FakeKey819x</value>\n</property>\n<key>Password</key>\n\t<string>FakePw820x</string>\n" + JSON.stringify({ config: "<add key=\"ApiKey\" value=\"FakeKey821x\"/>" }), kinds: ["api_token"], gone: ["FakeSec809x", "FakePw810x", "FakePw811x", "FakePw812x", "FakeTok813x", "FakeKey814x", "FakePw815x", "FakePw816x", "FakeTok817x", "FakePw818x", "FakeKey819x", "FakePw820x", "FakeKey821x"], kept: ["<add key=\"ClientSecret\" value=\"[REDACTED:api_token]\" />", "<name>fs.s3a.secret.key</name>\n  <value>[REDACTED:api_token]</value>", "value=\\\"[REDACTED:api_token]\\\"/>"] },
  { name: "not a secret in XML or HTML: a placeholder, a path, Ant's token, a word for the password, an empty or self-closed element, another element's value, HTML's anchors and labels", text: "<passphrase>${gpg.passphrase}</passphrase> <privateKey>/home/bob/.ssh/id_rsa</privateKey> <token>@version@</token> <password>password</password> <password></password> <password/> <token>[REDACTED:jwt]</token>\n<add key=\"Password\"/><add key=\"Timeout\" value=\"30\"/>\n<a name=\"reset-password\">Reset your password</a> <label for=\"password\">Password</label> <div name=\"token\">Sign in again</div>\n<passwordPolicy>strict</passwordPolicy> <tokenType>Bearer</tokenType>", kinds: [], equals: "<passphrase>${gpg.passphrase}</passphrase> <privateKey>/home/bob/.ssh/id_rsa</privateKey> <token>@version@</token> <password>password</password> <password></password> <password/> <token>[REDACTED:jwt]</token>\n<add key=\"Password\"/><add key=\"Timeout\" value=\"30\"/>\n<a name=\"reset-password\">Reset your password</a> <label for=\"password\">Password</label> <div name=\"token\">Sign in again</div>\n<passwordPolicy>strict</passwordPolicy> <tokenType>Bearer</tokenType>" },
  { name: "a secret in XML's other common places: a value element with attributes or a name before it (unattend.xml, KeePass, .NET settings, Spring, web.xml, XML-RPC, Hadoop with a description), Android's namespaced attributes", text: "<AdministratorPassword>\n  <Value>FakePw855x</Value>\n  <PlainText>true</PlainText>\n</AdministratorPassword>\n<Key>Password</Key><Value ProtectInMemory=\"True\">FakePw856x</Value>\n<Setting Name=\"ClientSecret\" Type=\"System.String\"><Value Profile=\"(Default)\">FakeSec857x</Value></Setting>\n<property name=\"password\"><value type=\"java.lang.String\">FakePw858x</value></property>\n<context-param><param-name>apiKey</param-name><param-value>FakeKey859x</param-value></context-param>\n<env-entry><env-entry-name>dbPassword</env-entry-name><env-entry-value>FakePw860x</env-entry-value></env-entry>\n<member><name>password</name><value><string>FakePw861x</string></value></member>\n<name>fs.s3a.secret.key</name>\n<description>the secret</description>\n<value>FakeKey862x</value>\n<meta-data android:name=\"com.example.ApiKey\" android:value=\"FakeKey863x\"/>", kinds: ["api_token"], gone: ["FakePw855x", "FakePw856x", "FakeSec857x", "FakePw858x", "FakeKey859x", "FakePw860x", "FakePw861x", "FakeKey862x", "FakeKey863x"], kept: ["<PlainText>true</PlainText>", "<param-name>apiKey</param-name>"] },
  { name: "a secret in XML in JSON in JSON, over lines", text: JSON.stringify({ a: JSON.stringify({ b: "<name>db.password</name>\n<value>FakePw864x</value>\n<passphrase>\n  FakePw865x\n</passphrase>" }) }), kinds: ["api_token"], gone: ["FakePw864x", "FakePw865x"], kept: ["<passphrase>\\\\n  [REDACTED:api_token]\\\\n</passphrase>"] },
  { name: "not a secret in XML: a resource's message named after a secret, a component's text in JSX, a switch or a number, a path after a property", text: "<string name=\"error_invalid_password\">This password is too short</string>\n<string name=\"forgot_password\">Forgot password?</string>\n<data name=\"InvalidToken\" xml:space=\"preserve\"><value>The token is invalid or has expired.</value></data>\n<Menu.Item key=\"token\">Access token</Menu.Item> <Tab key=\"secret\">Manage secrets</Tab> <Alert type=\"token\">Your token expired</Alert>\n<RequirePassword>true</RequirePassword> <UseDefaultCredentials>false</UseDefaultCredentials> <ValidateToken>1</ValidateToken>\n<privateKey>${user.home}/.ssh/id_dsa</privateKey>", kinds: [], equals: "<string name=\"error_invalid_password\">This password is too short</string>\n<string name=\"forgot_password\">Forgot password?</string>\n<data name=\"InvalidToken\" xml:space=\"preserve\"><value>The token is invalid or has expired.</value></data>\n<Menu.Item key=\"token\">Access token</Menu.Item> <Tab key=\"secret\">Manage secrets</Tab> <Alert type=\"token\">Your token expired</Alert>\n<RequirePassword>true</RequirePassword> <UseDefaultCredentials>false</UseDefaultCredentials> <ValidateToken>1</ValidateToken>\n<privateKey>${user.home}/.ssh/id_dsa</privateKey>" },
  { name: "a passphrase is a secret's name: a field, an option, a literal", text: "passphrase: 'fake pw 822'\ngpg --batch --passphrase FakePw823x -d notes.gpg\nkubectl create secret generic key --from-literal=passphrase=FakePw824x", kinds: ["api_token"], gone: ["fake pw 822", "FakePw823x", "FakePw824x"], kept: [" -d notes.gpg"] },
  { name: "a password to an archiver's, a remote desktop's, a key generator's or an uploader's own option", text: "zip -r -P FakePw825x out.zip dir\nunzip -P 'fake pw 826' x.zip\n7z x backup.7z -pFakePw827x -o/tmp\n7z a -mhe=on -p\"FakePw828x\" x.7z f\nrar a -pFakePw829x x.rar\nopenssl enc -d -aes-256-cbc -k FakePw830x -in x.enc\nrdesktop -u bob -p FakePw831x host\nxfreerdp /v:host /u:bob /p:FakePw832x /cert:ignore\nPsExec.exe \\\\host -u bob -p FakePw833x cmd\ntwine upload -u __token__ -p FakeTok834x dist/*\nssh-keygen -p -P FakePw835x -N FakePw836x -f key\nlftp -u bob,FakePw837x ftp.example.com\n" + JSON.stringify(["ssh-keygen", "-N", "FakePw838x", "-f", "key"]), kinds: ["api_token"], gone: ["FakePw825x", "fake pw 826", "FakePw827x", "FakePw828x", "FakePw829x", "FakePw830x", "FakePw831x", "FakePw832x", "FakePw833x", "FakeTok834x", "FakePw835x", "FakePw836x", "FakePw837x", "FakePw838x"], kept: [" out.zip dir", " -o/tmp", " /cert:ignore", " cmd\n", " dist/*", " -f key", "lftp -u bob,", " ftp.example.com"] },
  { name: "a secret set by a CLI as a named value: Key Vault, GitHub's secrets, AWS's and rclone's configuration, a package manager's token, MinIO's alias", text: "az keyvault secret set --vault-name kv --name db --value FakePw839x\ngh secret set DB_PASS --body \"FakePw840x\" --repo o/r\naws configure set aws_secret_access_key FakeKey841x --profile p\nrclone config create r s3 access_key_id AKIDFAKE secret_access_key FakeKey842x\nnpm config set //registry.npmjs.org/:_authToken FakeTok843x\nyarn config set npmAuthToken FakeTok844x\nmc alias set minio https://minio.example.com AKFAKE FakeKey845x\n" + JSON.stringify({ run: "az keyvault secret set -n db --vault-name kv --value FakePw846x" }), kinds: ["api_token"], gone: ["FakePw839x", "FakePw840x", "FakeKey841x", "FakeKey842x", "FakeTok843x", "FakeTok844x", "FakeKey845x", "FakePw846x"], kept: [" --repo o/r", " --profile p", "access_key_id AKIDFAKE ", "mc alias set minio https://minio.example.com AKFAKE "] },
  { name: "a password piped or given as a here-string to what reads one from its input", text: "echo FakePw847x | docker login --username bob --password-stdin\necho \"FakePw848x\" | sudo -S apt-get update\necho 'bob:FakePw849x' | chpasswd\nchpasswd <<< \"bob:FakePw850x\"\ngh auth login --with-token <<< FakeTok851x\nprintf 'FakePw852x' | helm registry login r.example.com -u bob --password-stdin\necho FakePw853x | passwd --stdin bob", kinds: ["api_token"], gone: ["FakePw847x", "FakePw848x", "FakePw849x", "FakePw850x", "FakeTok851x", "FakePw852x", "FakePw853x"], kept: [" | docker login --username bob --password-stdin", " | sudo -S apt-get update", "'bob:", "\"bob:", " | passwd --stdin bob"] },
  { name: "not a secret after those tools: a prompt, a variable, a file, another tool's option, a setting that is none, input that is no password", text: "7z a -p out.7z f\nrdesktop -p - host\nssh-keygen -t ed25519 -N \"\" -f key\ntwine upload -p $PYPI_TOKEN dist/*\naz keyvault secret set --vault-name kv --name db --file secret.txt\ngh variable set X --body plain\naws configure set region us-east-1\naws configure set aws_access_key_id AKIDFAKE\nnpm config set registry https://registry.example.com\nlftp -u bob ftp.example.com\nopenssl s_client -connect host:443\necho $PASSWORD | docker login -u x --password-stdin\necho \"$CR_PAT\" | docker login ghcr.io -u bob --password-stdin\ncat pw.txt | docker login --password-stdin\necho hello | grep h\necho done | sudo tee /x\ngh auth login --with-token < token.txt", kinds: [], equals: "7z a -p out.7z f\nrdesktop -p - host\nssh-keygen -t ed25519 -N \"\" -f key\ntwine upload -p $PYPI_TOKEN dist/*\naz keyvault secret set --vault-name kv --name db --file secret.txt\ngh variable set X --body plain\naws configure set region us-east-1\naws configure set aws_access_key_id AKIDFAKE\nnpm config set registry https://registry.example.com\nlftp -u bob ftp.example.com\nopenssl s_client -connect host:443\necho $PASSWORD | docker login -u x --password-stdin\necho \"$CR_PAT\" | docker login ghcr.io -u bob --password-stdin\ncat pw.txt | docker login --password-stdin\necho hello | grep h\necho done | sudo tee /x\ngh auth login --with-token < token.txt" },
  { name: "not a card: a list of small numbers", text: "ids 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", kinds: [], equals: "ids 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20" },
  { name: "percent-encoded text without secrets keeps its encoding", text: "https://example.com/search?q=hello%20world&page=2", kinds: [], equals: "https://example.com/search?q=hello%20world&page=2" },
  { name: "invalid percent-encoding is left as is", text: "100%ZZ and %E0%A4 done", kinds: [], equals: "100%ZZ and %E0%A4 done" },
  { name: "not a secret: base64 of plain text", text: Buffer.from("hello world, nothing to see here").toString("base64"), kinds: [] },
];

describe("scanText", () => {
  it.each(ROWS)("$name", (row) => {
    const { text, redactions } = r.scanText(row.text, "data.error.message");
    expect([...new Set(redactions.map((e) => e.kind))].sort()).toEqual([...new Set(row.kinds)].sort());
    for (const entry of redactions) {
      expect(RedactionEntrySchema.safeParse(entry).success).toBe(true);
      expect(entry.path).toBe("data.error.message");
    }
    for (const needle of row.gone ?? []) expect(text).not.toContain(needle);
    for (const kept of row.kept ?? []) expect(text).toContain(kept);
    if (row.equals !== undefined) expect(text).toBe(row.equals);
    if (row.kinds.length > 0) expect(text).not.toBe(row.text);
  });

  it("counts repeated matches", () => {
    const { redactions } = r.scanText("a@example.com b@example.com c@example.com", "p");
    expect(redactions).toEqual([{ path: "p", kind: "email", count: 3 }]);
  });

  it("counts a marker once, though a later match holds it again", () => {
    // The GitHub token is redacted first; the cookie rule's match then holds its marker.
    const { redactions } = r.scanText(`Cookie: gh=${ghp}; session=FakeSess9x8y7z6w5v4u3t`, "p");
    expect(redactions).toEqual([{ path: "p", kind: "api_token", count: 2 }]);
  });

  it("truncates after scanning, never leaving half a secret", () => {
    const text = `${"x".repeat(90)} AKIAFAKEFAKEFAKEFAKE`;
    const { text: out, redactions } = r.scanText(text, "p", 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).not.toContain("AKIAFAKE");
    expect(redactions.map((e) => e.kind).sort()).toEqual(["cloud_access_key", "truncated"]);
  });

  it("does not split a surrogate pair when truncating, and replaces lone surrogates", () => {
    const { text } = r.scanText(`${"a".repeat(15)}😀tail`, "p", 16);
    expect(text).toBe("a".repeat(15));
    expect(r.scanText("bad \uD800 surrogate \uDC00", "p").text).toBe("bad \uFFFD surrogate \uFFFD");
  });

  it("respects disabledScanners", () => {
    const noPhone = redactor({ disabledScanners: ["phone"] });
    expect(noPhone.scanText("call +14155550100", "p").text).toBe("call +14155550100");
    expect(noPhone.scanText("mail a@example.com", "p").text).toBe("mail [REDACTED:email]");
  });

  it("leaves short and ordinary text untouched", () => {
    for (const text of ["", "ok", "tools/call", "Tool search failed: timeout after 30000 ms", "C:\\temp\\file.txt", "https://example.com/docs?page=2"]) {
      expect(r.scanText(text, "p")).toEqual({ text, redactions: [] });
    }
  });
});

describe("idempotence", () => {
  // What the SDK sent is scanned again by the pipeline: a marker must not count as a new finding.
  const texts = [...ROWS.map((row) => row.text), ...leakPlacements().map((placement) => placement.text), "{\"password\": \"fake-hunter22\"}%252520ok", "token='Winter is fake'", "https://u@x.example@foo@h/path", "redis://a@b.example@c@host:6379", "+1 555-010-0199340000000000009", "+1 555-010 0199340000000000009", "+44 20 7946 0958 41111111 11111111+44 20 7946 0958 55000000 00000004+44 20 7946 0958 41111111 11111111+44 20 7946 0958 55000000 00000004", "9704 0000 0000 0018 555-010-0199.".repeat(18)];
  it.each(texts.map((text) => [text.slice(0, 60), text]))("scanning its own output finds nothing more: %s", (_name, text) => {
    const once = r.scanText(text, "p", 4096);
    const twice = r.scanText(once.text, "p", 4096);
    expect(twice.redactions).toEqual([]);
    expect(twice.text).toBe(once.text);
  });
});

describe("adversarial text stays linear", () => {
  const N = 12_000;
  const CASES: [string, string][] = [
    ["many scheme prefixes", "a://:".repeat(N / 5)],
    ["long domain after @", `${"a".repeat(64)}@${"a.".repeat(N / 2)}`],
    ["spaced digits", "1 ".repeat(N / 2)],
    ["repeated assignments", "x=1;Password=".repeat(N / 13)],
    ["colons", ":".repeat(N)],
    ["one long base64 run", "A".repeat(N)],
    ["a password value of spaces and words", `Password=${"a ".repeat(N / 2)}`],
    ["repeated spaced passwords", "Pwd= x y ".repeat(N / 9)],
    ["an unclosed quoted secret", `"password": "${"a ".repeat(N / 2)}`],
    ["repeated key names", "a_key=".repeat(N / 6)],
    ["long non-ASCII domain after @", `${"é".repeat(64)}@${"ü.".repeat(N / 2)}`],
    ["colons after a marker in a URL userinfo", `a://[REDACTED:x]@${":".repeat(N)}`],
    ["a URL authority of '@' signs", `a://${"@".repeat(N)}`],
    ["a long digit run ending in a letter", `${"1".repeat(N)}x`],
    ["groups of three digits", "412 ".repeat(N / 4)],
    ["dashed digit groups ending in a letter", `${"4111-1111-".repeat(N / 10)}x`],
    ["quoted connection-string fields with spaces", '"Password=a b c'.repeat(N / 15)],
    ["prose password fields", "Password=a b ".repeat(N / 13)],
    ["password fields with no space between", "Pwd=[".repeat(N / 5)],
    ["secret names where values go", "Password= token: ".repeat(N / 17)],
    ["escaped secret names where values go", String.raw`\"token\": `.repeat(N / 11)],
    ["password fields in quotes three deep", String.raw`Pwd=\\\\"`.repeat(N / 12)],
    ["a run of backslashes before a quote", `Pwd=${"\\".repeat(N)}"`],
    ["a word the tool options' filter looks for, then a run of spaces", `user login${" ".repeat(N)}x`],
    ["a tool's name, then a run of spaces", `curl${" ".repeat(N)}-u x`],
    ["a MySQL client's -p, then a run of spaces", `mysql -p${" ".repeat(N)}x`],
    ["an escaped-quoted value of escaped quotes", String.raw`Pwd=\"${String.raw`a\"b`.repeat(N / 4)}`],
    ["quoted values ending in '='", "Password='a=' ".repeat(N / 14)],
    ["bracketed words", "Password=[a] ".repeat(N / 13)],
    ["unclosed quotes", 'Pwd="a '.repeat(N / 7)],
    ["secret names in a row", 'password: "password": '.repeat(N / 22)],
    ["escaped quotes opening secret values", String.raw`token=\"a\\\"`.repeat(N / 12)],
    ["bearer tokens that are secret names", "Bearer token: abcdefgh ".repeat(N / 23)],
    ["JSON punctuation after a secret's opening quote", `token: "${", ".repeat(N / 2)}`],
    ["JSON punctuation and numbers after an escaped opening quote", `Pwd=\\" ${", 1".repeat(N / 3)}`],
    ["JSON keys and nulls after a secret's opening quote", `password: "}, ${'"a": 1, "b": null, '.repeat(N / 20)}`],
    ["escaped quotes in a JSON string never closed", `"${'\\"'.repeat(N / 2)}\\x`],
    ["strings opening on escaped quotes", '"\\"'.repeat(N / 3)],
    ["a JSON string of .NET-escaped password fields", `{"a":"${"\\u0022password\\u0022:".repeat(N / 20)}"}`],
    ["PHP-escaped URLs in one JSON string", `{"a":"${"https:\\/\\/u:p@h\\/".repeat(N / 17)}"}`],
    ["bare keys after a secret's opening quote", `password: "}, ${" a: ".repeat(N / 4)}`],
    ["a closing apostrophe before brackets and commas", `Password='${" ,{[".repeat(N / 4)}`],
    ["closing apostrophes before bare keys", "x: 'Password=', a: ".repeat(N / 20)],
    ["a JSON string of escapes cut off by the end", `{"a":"${"\\n".repeat(N / 2)}`],
    ["JSON strings cut off inside escapes", `"\\u00 `.repeat(N / 6)],
    ["secret options whose apostrophes never close", "--password 'a ".repeat(N / 14)],
    ["listed secret options whose values never close", "'--token', 'a ".repeat(N / 14)],
    ["MySQL client names before one -p", `${"mysql ".repeat(N / 6)} -p`],
    ["sshpass options without values", "sshpass -p ".repeat(N / 11)],
    ["template literals never closed after a secret's name", "password: `a ".repeat(N / 13)],
    ["shell-escaped apostrophes in a secret never closed", `PASSWORD='${"'\\''".repeat(N / 4)}`],
    ["Windows paths of many parts after a tool's name", `curl ${String.raw`C:\a\b\c\d\e\f\g\h `.repeat(N / 18)}`],
    ["Windows paths of many parts in JSON after a tool's name", `{"a":"openssl ${String.raw`C:\\a\\b\\c\\d\\e `.repeat(N / 24)}"}`],
    ["escaped line breaks after MySQL's -p values in one JSON string", `{"s":"${String.raw`mysql -pab\nc d `.repeat(N / 16)}"}`],
    ["pretty-printed JSON numbers after a message ending in a secret's name", `{\n  "msg": "invalid token:",\n  "ids": [\n${"    7,\n".repeat(N / 7)}    1\n  ]\n}`],
  ];
  it.each(CASES)("%s", (_name, text) => {
    const started = performance.now();
    const { text: out } = r.scanText(text, "p", 4096);
    expect(out.length).toBeLessThanOrEqual(4096);
    expect(performance.now() - started).toBeLessThan(500);
  });

  // Shapes whose cost grew with the square of their length: at the cut above, still under the bound.
  const LONG = 100_000;
  const LONG_CASES: [string, string][] = [
    ["an Authorization header's name, then a run of spaces", `Authorization:${" ".repeat(LONG)}x`],
    ["Authorization headers' names run together", "authorization:".repeat(LONG / 14)],
    ["an Authorization header's blob that a call follows", `Authorization: Negotiate ${"YIIFake0123".repeat(LONG / 11)}(`],
    ["Slack's token prefixes run together before an underscore", `${"xoxb-".repeat(LONG / 5)}_`],
    ["a Cookie header's name, then a run of spaces", `Cookie:${" ".repeat(LONG)}x`],
    ["a Cookie header of empty pairs", `Cookie: ${";".repeat(LONG)}x`],
    ["a Cookie header's cookie, then a run of commas", `Cookie: a=b${",".repeat(LONG)} x`],
    ["an XML secret element's text never closed", `<password>${"a".repeat(LONG)}`],
    ["XML name attributes in a tag never closed", `<add ${'key="password" '.repeat(LONG / 15)}`],
    ["XML value attributes after a secret's name, never closed", `<add key="token" ${'value="x '.repeat(LONG / 9)}`],
    ["XML name elements before a description never closed", `<name>password</name><description>${"a".repeat(LONG)}`],
    ["echoes piped into echoes", `${"echo a | ".repeat(LONG / 9)}sudo -S x`],
    ["readers of a password before a here-string never given", `${"chpasswd ".repeat(LONG / 9)}<<<`],
    ["a package manager's settings of secret-like names without values", "npm config set a_token ".repeat(LONG / 23)],
  ];
  it.each(LONG_CASES)("at 100,000 characters: %s", (_name, text) => {
    const started = performance.now();
    r.scanText(text, "p", LONG);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("truncateIp", () => {
  const CASES: [string, string | undefined][] = [
    ["203.0.113.77", "203.0.113.0/24"],
    ["10.0.0.1", "10.0.0.0/24"],
    ["2001:db8:85a3:1234::1", "2001:db8:85a3::/48"],
    ["2001:0DB8:0000:1234::1", "2001:db8:0::/48"],
    ["[2001:db8::1]", "2001:db8:0::/48"],
    ["fe80::1%eth0", "fe80:0:0::/48"],
    ["::ffff:198.51.100.7", "198.51.100.0/24"],
    // The same IPv4-mapped address in hex, NAT64 and 6to4: each carries an IPv4 address, truncated as one
    // (a 6to4 /48 would hold the whole IPv4 address; the /96 forms would all be one network).
    ["::ffff:c633:6407", "198.51.100.0/24"],
    ["0:0:0:0:0:ffff:c633:6407", "198.51.100.0/24"],
    ["64:ff9b::198.51.100.7", "198.51.100.0/24"],
    ["64:ff9b::c633:6407", "198.51.100.0/24"],
    ["2002:c633:6407::1", "198.51.100.0/24"],
    ["[2002:cb00:7109:5::2]", "203.0.113.0/24"],
    ["::1", "0:0:0::/48"],
    ["64:ff9b:1::1", "64:ff9b:1::/48"],
    ["not an ip", undefined],
    ["300.1.1.1", undefined],
    ["", undefined],
  ];
  it.each(CASES)("%s → %s", (input, expected) => {
    expect(truncateIp(input)).toBe(expected);
    expect(r.truncateIp(input)).toBe(expected);
    if (expected !== undefined) expect(TruncatedIpSchema.safeParse(expected).success).toBe(true);
  });
});
