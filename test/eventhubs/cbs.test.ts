import { describe, expect, it } from "vitest";
import { audienceHub, putToken } from "../../dev/eventhubs-emulator/cbs.js";

const future = Math.floor(Date.now() / 1000) + 3600;
const sas = (resource: string, expiry = future): string =>
  `SharedAccessSignature sr=${encodeURIComponent(resource)}&sig=abc&se=${expiry}&skn=RootManageSharedAccessKey`;
const jwt = [{ alg: "none" }, { aud: "https://eventhubs.azure.net/" }, "sig"]
  .map((part) => Buffer.from(typeof part === "string" ? part : JSON.stringify(part)).toString("base64url"))
  .join(".");

describe("CBS put-token", () => {
  it("reads the hub from an audience", () => {
    expect(audienceHub("sb://localhost:5672/Orders/ConsumerGroups/$Default/Partitions/0")).toBe("orders");
    expect(audienceHub("sb://localhost:5672/")).toBe("");
  });

  it.each([
    ["a SAS token for the same hub", sas("sb://localhost/orders"), "servicebus.windows.net:sastoken", "sb://localhost:1/orders/Partitions/0", "orders"],
    ["a namespace-wide SAS token", sas("sb://localhost/"), "servicebus.windows.net:sastoken", "sb://localhost:1/orders", "*"],
    ["a JWT", jwt, "jwt", "sb://localhost:1/orders", "*"],
  ])("accepts %s", (_name, token, type, audience, grant) => {
    expect(putToken(token, audience, type)).toMatchObject({ statusCode: 202, grant });
  });

  it.each([
    ["a SAS token for another hub", sas("sb://localhost/other"), "servicebus.windows.net:sastoken"],
    ["an expired SAS token", sas("sb://localhost/orders", 1000), "servicebus.windows.net:sastoken"],
    ["a SAS token without a signature", "SharedAccessSignature sr=sb%3A%2F%2Flocalhost%2Forders", "servicebus.windows.net:sastoken"],
    ["a malformed JWT", "not-a-jwt", "jwt"],
  ])("refuses %s with 401", (_name, token, type) => {
    const result = putToken(token, "sb://localhost:1/orders", type);
    expect(result.statusCode).toBe(401);
    expect(result.grant).toBeUndefined();
  });
});
