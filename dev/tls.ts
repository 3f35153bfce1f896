// Self-signed TLS material for the local HTTPS stand-ins. The Azure bearer-token policies refuse
// plain http, so the stand-ins must speak TLS; clients trust the certificate through
// `tlsOptions: { ca }`. Generated at run time and never written to disk, so no key is ever committed.
import { isIP } from "node:net";
import { generate } from "selfsigned";

export interface SelfSignedCertificate {
  /** PEM private key, for the server only. */
  readonly key: string;
  /** PEM certificate the server presents. */
  readonly cert: string;
  /** PEM to give clients as their trust anchor (the certificate itself: it signs itself). */
  readonly ca: string;
}

const DEFAULT_HOSTNAMES = ["localhost", "127.0.0.1", "::1"];

// Key generation costs tens of milliseconds; every stand-in in one process can share one certificate.
const cache = new Map<string, Promise<SelfSignedCertificate>>();

/**
 * A certificate valid for `hostnames` (DNS names or IP addresses) plus localhost, 127.0.0.1 and ::1.
 * Async because selfsigned v5 only generates asynchronously (it uses WebCrypto).
 */
export function createSelfSignedCertificate(hostnames: string[] = []): Promise<SelfSignedCertificate> {
  const names = [...new Set([...DEFAULT_HOSTNAMES, ...hostnames])].sort();
  const cacheKey = names.join(",");
  let pending = cache.get(cacheKey);
  if (!pending) {
    pending = generateCertificate(names);
    // A failed generation must not poison later calls.
    pending.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, pending);
  }
  return pending;
}

async function generateCertificate(names: string[]): Promise<SelfSignedCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000); // tolerate small clock skew between processes
  const notAfterDate = new Date(notBeforeDate.getTime() + 7 * 24 * 3600_000);
  const pems = await generate([{ name: "commonName", value: "mcp-audit local stand-in" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, ca: pems.cert };
}
