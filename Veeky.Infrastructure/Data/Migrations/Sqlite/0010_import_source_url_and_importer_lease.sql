-- Veeky schema 10 (Sqlite): videos imported by URL keep their link until the first indexing stage has downloaded it,
-- and the watch folder's one importer at a time holds a lease row (renewed; taken over once it is stale).

ALTER TABLE "Videos" ADD COLUMN "SourceUrl" TEXT NULL;

CREATE TABLE "ImporterLeases" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_ImporterLeases" PRIMARY KEY,
    "Holder" TEXT NOT NULL,
    "ExpiresAt" INTEGER NOT NULL
);
