import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../dev/azurite.js";

describe("startAzurite", () => {
  let azurite: AzuriteInstance;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  it("serves blob storage on an ephemeral port through the connection string", async () => {
    expect(azurite.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    const client = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = client.getContainerClient("probe");
    await container.create();
    await container.getBlockBlobClient("a.txt").upload("hello", 5);
    const text = (await container.getBlobClient("a.txt").downloadToBuffer()).toString();
    expect(text).toBe("hello");
  });
});
