-- Veeky schema 6 (Postgres): sign-in sessions, one per login, holding the only refresh token of its family that may
-- still be exchanged (rotation) and whether the family was revoked (sign-out, or an old token presented again).

CREATE TABLE "SignInSessions" (
    "Id" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "CurrentTokenId" uuid NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "RevokedAt" timestamp with time zone,
    "RevokedReason" character varying(32),
    CONSTRAINT "PK_SignInSessions" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_SignInSessions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_SignInSessions_UserId_ExpiresAt" ON "SignInSessions" ("UserId", "ExpiresAt");
