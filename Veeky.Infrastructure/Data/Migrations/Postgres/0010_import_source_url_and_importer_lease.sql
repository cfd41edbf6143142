-- Veeky schema 10 (Postgres): videos imported by URL keep their link until the first indexing stage has downloaded it,
-- and the watch folder's one importer at a time holds a lease row (renewed; taken over once it is stale).

ALTER TABLE "Videos" ADD COLUMN "SourceUrl" character varying(2000);

CREATE TABLE "ImporterLeases" (
    "Name" character varying(64) NOT NULL,
    "Holder" character varying(200) NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ImporterLeases" PRIMARY KEY ("Name")
);
