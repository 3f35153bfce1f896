// Claims-based security: the `$cbs` put-token exchange. Tokens are not verified
// cryptographically (the key in the connection string is a fake), but their scope is: a SAS
// token for one hub does not open another, as on the real service.

export type Grant = "*" | string;

export interface PutTokenResult {
  statusCode: number;
  description: string;
  /** Lower-cased hub the token opens, or "*" for the whole namespace. */
  grant?: Grant;
}

/** First path segment of an audience URI (`sb://host:port/hub/...`), lower-cased; "" for the namespace. */
export function audienceHub(audience: string): string {
  let pathname: string;
  try {
    pathname = new URL(audience).pathname;
  } catch {
    pathname = audience;
  }
  return decodeURIComponent(pathname.split("/").find((segment) => segment.length > 0) ?? "").toLowerCase();
}

function sasField(token: string, field: string): string | undefined {
  const body = token.slice("SharedAccessSignature ".length);
  for (const pair of body.split("&")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq) === field) return decodeURIComponent(pair.slice(eq + 1));
  }
  return undefined;
}

export function putToken(token: unknown, name: unknown, type: unknown): PutTokenResult {
  if (typeof token !== "string" || typeof name !== "string") {
    return { statusCode: 400, description: "put-token needs a string token and a 'name' (audience)" };
  }
  const requested = audienceHub(name);
  if (type === "jwt" || !token.startsWith("SharedAccessSignature ")) {
    // Entra tokens are scoped to the whole service (aud https://eventhubs.azure.net/), not a hub.
    if (token.split(".").length !== 3) return { statusCode: 401, description: "malformed JWT" };
    return { statusCode: 202, description: "Accepted", grant: "*" };
  }
  const resource = sasField(token, "sr");
  const expiry = Number(sasField(token, "se"));
  if (resource === undefined || !sasField(token, "sig")) {
    return { statusCode: 401, description: "malformed SharedAccessSignature: sr and sig are required" };
  }
  if (Number.isFinite(expiry) && expiry * 1000 < Date.now()) {
    return { statusCode: 401, description: "The SharedAccessSignature has expired" };
  }
  const scope = audienceHub(resource);
  if (scope !== "" && scope !== requested) {
    return {
      statusCode: 401,
      description: `InvalidSignature: The token has an invalid signature. Token audience '${resource}' does not grant access to '${name}'.`,
    };
  }
  return { statusCode: 202, description: "Accepted", grant: scope === "" ? "*" : scope };
}
