// The local stand-ins a test or `npm start` needs, started together and stopped together.
import { startAzurite, type AzuriteInstance } from "./azurite.js";
import { startEventHubsEmulator, type EmulatorOptions, type EventHubsEmulator } from "./eventhubs-emulator/index.js";

export interface LocalServicesOptions {
  eventHubs?: EmulatorOptions;
  /** Start Azurite too (default true). */
  azurite?: boolean;
}

export interface LocalServices {
  eventHubs: EventHubsEmulator;
  azurite?: AzuriteInstance;
  stop(): Promise<void>;
}

/** Starts the services in parallel; if any fails, the ones that did start are stopped before rethrowing. */
export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const [eventHubs, azurite] = await Promise.allSettled([
    startEventHubsEmulator(options.eventHubs),
    options.azurite === false ? Promise.resolve(undefined) : startAzurite(),
  ]);
  const started = [eventHubs, azurite].flatMap((result) => (result.status === "fulfilled" && result.value ? [result.value] : []));
  const stop = async (): Promise<void> => {
    const results = await Promise.allSettled(started.map((service) => service.stop()));
    const failed = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (failed.length > 0) throw new AggregateError(failed, "some local services did not stop cleanly");
  };
  if (eventHubs.status === "rejected" || azurite.status === "rejected") {
    await stop().catch(() => undefined);
    throw eventHubs.status === "rejected" ? eventHubs.reason : azurite.status === "rejected" ? azurite.reason : new Error("unreachable");
  }
  return { eventHubs: eventHubs.value, azurite: azurite.value, stop };
}
