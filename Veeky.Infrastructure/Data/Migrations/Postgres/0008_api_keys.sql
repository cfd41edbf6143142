-- Veeky schema 8 (Postgres): API keys for scripts and MCP clients. Only the SHA-256 hash of a key is stored; a revoked
-- key is deleted, and a deleted user's keys go with them.

CREATE TABLE "ApiKeys" (
    "Id" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Hash" character varying(64) NOT NULL,
    "Prefix" character varying(16) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone,
    "LastUsedAt" timestamp with time zone,
    CONSTRAINT "PK_ApiKeys" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ApiKeys_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_ApiKeys_Hash" ON "ApiKeys" ("Hash");
CREATE INDEX "IX_ApiKeys_UserId" ON "ApiKeys" ("UserId");
