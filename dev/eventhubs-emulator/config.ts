// Config.json in the shape the official Event Hubs emulator reads, validated once at start-up.
import { readFileSync } from "node:fs";
import { z } from "zod";

/** The official emulator writes PartitionCount as a string ("2"); accept both forms. */
const partitionCountSchema = z
  .union([z.number(), z.string().regex(/^\d+$/, "must be a whole number").transform(Number)])
  .pipe(z.number().int().min(1).max(32));

const consumerGroupSchema = z.looseObject({ Name: z.string().min(1) });

const entitySchema = z.looseObject({
  Name: z.string().min(1).regex(/^[A-Za-z0-9][\w.-]*$/, "must be letters, digits, '.', '_' or '-'"),
  PartitionCount: partitionCountSchema,
  ConsumerGroups: z.array(consumerGroupSchema).max(20).default([]),
});

const namespaceSchema = z.looseObject({
  Type: z.literal("EventHub"),
  Name: z.string().min(1),
  Entities: z.array(entitySchema),
});

/** Official emulator's Config.json; unknown keys (e.g. Kafka settings) are tolerated on purpose. */
export const EmulatorConfigSchema = z.looseObject({
  UserConfig: z.looseObject({
    NamespaceConfig: z.array(namespaceSchema).min(1),
    LoggingConfig: z.looseObject({ Type: z.string() }).optional(),
  }),
});

export type EmulatorConfig = z.input<typeof EmulatorConfigSchema>;

export const DEFAULT_EMULATOR_CONFIG: EmulatorConfig = {
  UserConfig: {
    NamespaceConfig: [
      {
        Type: "EventHub",
        Name: "emulatorNs1",
        Entities: [
          { Name: "mcp-audit", PartitionCount: 4, ConsumerGroups: [{ Name: "sentinel" }, { Name: "detect" }] },
        ],
      },
    ],
    LoggingConfig: { Type: "Console" },
  },
};

export interface HubDefinition {
  readonly name: string;
  readonly partitionIds: readonly string[];
  /** Lower-cased: the service compares consumer group names case-insensitively. */
  readonly consumerGroups: ReadonlySet<string>;
  readonly createdAt: Date;
}

export class EmulatorConfigError extends Error {
  override readonly name = "EmulatorConfigError";
}

/** Parses a config object or the path of a Config.json; errors name the offending field. */
export function resolveConfig(config: EmulatorConfig | string | undefined): Map<string, HubDefinition> {
  let raw: unknown = config ?? DEFAULT_EMULATOR_CONFIG;
  let source = config === undefined ? "default config" : "config";
  if (typeof config === "string") {
    source = config;
    let text: string;
    try {
      text = readFileSync(config, "utf8");
    } catch (err) {
      throw new EmulatorConfigError(`cannot read config file ${config}: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new EmulatorConfigError(`config file ${config} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const parsed = EmulatorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.map(String).join(".") || "(root)" : "(root)";
    throw new EmulatorConfigError(`invalid ${source}: ${field}: ${issue?.message ?? "invalid"}`);
  }
  const hubs = new Map<string, HubDefinition>();
  const createdAt = new Date();
  parsed.data.UserConfig.NamespaceConfig.forEach((ns, n) => {
    ns.Entities.forEach((entity, e) => {
      const key = entity.Name.toLowerCase();
      if (hubs.has(key)) {
        throw new EmulatorConfigError(
          `invalid ${source}: UserConfig.NamespaceConfig.${n}.Entities.${e}.Name: duplicate event hub "${entity.Name}"`,
        );
      }
      const consumerGroups = new Set(["$default"]);
      for (const group of entity.ConsumerGroups) consumerGroups.add(group.Name.toLowerCase());
      hubs.set(key, {
        name: entity.Name,
        partitionIds: Array.from({ length: entity.PartitionCount }, (_, i) => String(i)),
        consumerGroups,
        createdAt,
      });
    });
  });
  return hubs;
}
