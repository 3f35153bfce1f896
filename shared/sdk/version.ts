// Reported in server.started for the inventory; bump with package.json.
export const SDK_VERSION = "0.1.0";
