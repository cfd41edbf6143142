-- Veeky schema 7 (Sqlite): share links that open one video at a moment without signing in. A revoked link is deleted.

CREATE TABLE "VideoShares" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_VideoShares" PRIMARY KEY,
    "VideoId" TEXT NOT NULL,
    "Start" REAL NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    CONSTRAINT "FK_VideoShares_Videos_VideoId" FOREIGN KEY ("VideoId") REFERENCES "Videos" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_VideoShares_VideoId" ON "VideoShares" ("VideoId");
