// dev/tls.ts, which both HTTPS stand-ins rely on: the certificate must verify for the loopback
// names clients use, and only for them.
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SelfSignedCertificate } from "../../dev/tls.js";
import { createSelfSignedCertificate } from "../../dev/tls.js";

let certificate: SelfSignedCertificate;
let server: ReturnType<typeof createServer>;
let port = 0;

function get(host: string, servername?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: "/", ca: certificate.ca, ...(servername ? { servername } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  certificate = await createSelfSignedCertificate();
  server = createServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port; // TCP listener: address() is never a pipe name
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("createSelfSignedCertificate", () => {
  it("is trusted for 127.0.0.1 and localhost through the returned ca", async () => {
    expect(await get("127.0.0.1")).toBe(200);
    expect(await get("localhost")).toBe(200);
  });

  it("is refused for a name it was not issued for", async () => {
    await expect(get("127.0.0.1", "vault.example.invalid")).rejects.toThrow(/altnames|hostname|does not match/i);
  });

  it("is PEM, generated once per process for the same names, and extended by extra names", async () => {
    expect(certificate.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(certificate.key).toMatch(/-----BEGIN (?:EC )?PRIVATE KEY-----/);
    expect(await createSelfSignedCertificate()).toBe(certificate);
    const extended = await createSelfSignedCertificate(["stand-in.local"]);
    expect(extended.cert).not.toBe(certificate.cert);
  });
});
