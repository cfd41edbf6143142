-- Veeky schema 7 (Postgres): share links that open one video at a moment without signing in. A revoked link is deleted.

CREATE TABLE "VideoShares" (
    "Id" uuid NOT NULL,
    "VideoId" uuid NOT NULL,
    "Start" double precision NOT NULL,
    "CreatedBy" uuid NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_VideoShares" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_VideoShares_Videos_VideoId" FOREIGN KEY ("VideoId") REFERENCES "Videos" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_VideoShares_VideoId" ON "VideoShares" ("VideoId");
