// Shared by the HTTPS stand-ins: listen on 127.0.0.1 (ephemeral port unless given) and say which.
import type { Server } from "node:net";
import type { AddressInfo } from "node:net";

export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Listening on a TCP host, so the address is never a pipe name.
  return (server.address() as AddressInfo).port;
}
