import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_EMULATOR_CONFIG, EmulatorConfigError, resolveConfig } from "../../dev/eventhubs-emulator/index.js";
import type { EmulatorConfig } from "../../dev/eventhubs-emulator/index.js";

/** Config files arrive as untyped JSON; these cases are malformed on purpose. */
function untyped(value: unknown): EmulatorConfig {
  return value as EmulatorConfig;
}

const official = {
  UserConfig: {
    NamespaceConfig: [
      {
        Type: "EventHub",
        Name: "emulatorNs1",
        Entities: [{ Name: "eh1", PartitionCount: "2", ConsumerGroups: [{ Name: "cg1" }] }],
      },
    ],
    LoggingConfig: { Type: "File" },
  },
};

describe("emulator config", () => {
  it("reads the official emulator's Config.json shape from a file, adding $Default", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "eh-config-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "Config.json");
    writeFileSync(file, JSON.stringify(official));
    const hubs = resolveConfig(file);
    expect([...hubs.keys()]).toEqual(["eh1"]);
    const eh1 = hubs.get("eh1");
    expect(eh1?.partitionIds).toEqual(["0", "1"]);
    expect([...(eh1?.consumerGroups ?? [])].sort()).toEqual(["$default", "cg1"]);
  });

  it("defaults to hub mcp-audit with 4 partitions and the sentinel and detect groups", () => {
    const hubs = resolveConfig(undefined);
    const hub = hubs.get("mcp-audit");
    expect(hub?.partitionIds).toEqual(["0", "1", "2", "3"]);
    expect([...(hub?.consumerGroups ?? [])].sort()).toEqual(["$default", "detect", "sentinel"]);
    expect(resolveConfig(DEFAULT_EMULATOR_CONFIG).size).toBe(1);
  });

  it.each([
    [{ UserConfig: { NamespaceConfig: [] } }, "UserConfig.NamespaceConfig"],
    [{ UserConfig: { NamespaceConfig: [{ ...official.UserConfig.NamespaceConfig[0], Type: "Kafka" }] } }, "UserConfig.NamespaceConfig.0.Type"],
    [
      { UserConfig: { NamespaceConfig: [{ Type: "EventHub", Name: "ns", Entities: [{ Name: "eh1", PartitionCount: 0 }] }] } },
      "UserConfig.NamespaceConfig.0.Entities.0.PartitionCount",
    ],
    [
      { UserConfig: { NamespaceConfig: [{ Type: "EventHub", Name: "ns", Entities: [{ Name: "eh1", PartitionCount: "two" }] }] } },
      "UserConfig.NamespaceConfig.0.Entities.0.PartitionCount",
    ],
    [
      { UserConfig: { NamespaceConfig: [{ Type: "EventHub", Name: "ns", Entities: [{ Name: "eh1", PartitionCount: 1, ConsumerGroups: [{ Name: "" }] }] }] } },
      "UserConfig.NamespaceConfig.0.Entities.0.ConsumerGroups.0.Name",
    ],
    [
      { UserConfig: { NamespaceConfig: [{ Type: "EventHub", Name: "ns", Entities: [{ Name: "a", PartitionCount: 1 }, { Name: "A", PartitionCount: 1 }] }] } },
      "UserConfig.NamespaceConfig.0.Entities.1.Name",
    ],
  ])("rejects a bad config and names the field (%#)", (config, field) => {
    expect(() => resolveConfig(untyped(config))).toThrow(EmulatorConfigError);
    expect(() => resolveConfig(untyped(config))).toThrow(`${field}:`);
  });

  it("names the file when it is not JSON", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "eh-config-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "Config.json");
    writeFileSync(file, "{ nope");
    expect(() => resolveConfig(file)).toThrow(/Config\.json is not valid JSON/);
  });
});
