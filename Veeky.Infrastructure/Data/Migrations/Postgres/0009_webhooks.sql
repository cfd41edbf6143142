-- Veeky schema 9 (Postgres): webhooks and their deliveries, an outbox written with the video change it reports.

CREATE TABLE "Webhooks" (
    "Id" uuid NOT NULL,
    "Url" character varying(2000) NOT NULL,
    "Events" character varying(200) NOT NULL,
    "ProtectedSecret" character varying(1000) NOT NULL,
    "CreatedBy" uuid NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Webhooks" PRIMARY KEY ("Id")
);

CREATE TABLE "WebhookDeliveries" (
    "Id" uuid NOT NULL,
    "WebhookId" uuid NOT NULL,
    "EventId" uuid NOT NULL,
    "Type" character varying(40) NOT NULL,
    "Body" text NOT NULL,
    "Status" character varying(16) NOT NULL,
    "Attempts" integer NOT NULL,
    "NextAttemptAt" timestamp with time zone NOT NULL,
    "LeaseOwner" character varying(200) NULL,
    "LeaseExpiresAt" timestamp with time zone NULL,
    "LastError" character varying(1000) NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_WebhookDeliveries" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_WebhookDeliveries_Webhooks_WebhookId" FOREIGN KEY ("WebhookId") REFERENCES "Webhooks" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_WebhookDeliveries_Status_NextAttemptAt" ON "WebhookDeliveries" ("Status", "NextAttemptAt");
CREATE INDEX "IX_WebhookDeliveries_WebhookId_CreatedAt" ON "WebhookDeliveries" ("WebhookId", "CreatedAt");
