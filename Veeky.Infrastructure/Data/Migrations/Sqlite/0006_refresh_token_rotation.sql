-- Veeky schema 6 (Sqlite): sign-in sessions, one per login, holding the only refresh token of its family that may
-- still be exchanged (rotation) and whether the family was revoked (sign-out, or an old token presented again).

CREATE TABLE "SignInSessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SignInSessions" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "CurrentTokenId" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    "RevokedReason" TEXT NULL,
    CONSTRAINT "FK_SignInSessions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_SignInSessions_UserId_ExpiresAt" ON "SignInSessions" ("UserId", "ExpiresAt");
