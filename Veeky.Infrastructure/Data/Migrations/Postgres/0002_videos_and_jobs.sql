-- Veeky schema 2 (Postgres): videos, their segments and the durable indexing job queue.

CREATE TABLE "Videos" (
    "Id" uuid NOT NULL,
    "Title" character varying(200) NOT NULL,
    "Description" text,
    "Keywords" text[] NOT NULL,
    "CategoryId" uuid NOT NULL,
    "UploaderId" uuid NOT NULL,
    "Status" character varying(16) NOT NULL,
    "Stage" character varying(24) NOT NULL,
    "Progress" double precision NOT NULL,
    "Error" text,
    "StoragePath" character varying(400) NOT NULL,
    "OriginalFileName" character varying(400),
    "ContentType" character varying(100),
    "SizeBytes" bigint NOT NULL,
    "Sha256" character varying(64) NOT NULL,
    "DurationSeconds" double precision,
    "Width" integer,
    "Height" integer,
    "FrameRate" double precision,
    "HasAudio" boolean NOT NULL,
    "TranscriptJson" text,
    "Summary" text,
    "SegmentCount" integer NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Videos" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Videos_AspNetUsers_UploaderId" FOREIGN KEY ("UploaderId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Videos_Categories_CategoryId" FOREIGN KEY ("CategoryId") REFERENCES "Categories" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Jobs" (
    "Id" uuid NOT NULL,
    "VideoId" uuid NOT NULL,
    "Status" character varying(16) NOT NULL,
    "Attempts" integer NOT NULL,
    "RunAfter" timestamp with time zone NOT NULL,
    "LeaseOwner" character varying(200),
    "LeaseExpiresAt" timestamp with time zone,
    "CompletedStages" character varying(400) NOT NULL,
    "Error" text,
    "TraceParent" character varying(100),
    "CreatedAt" timestamp with time zone NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Jobs" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Jobs_Videos_VideoId" FOREIGN KEY ("VideoId") REFERENCES "Videos" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Segments" (
    "VideoId" uuid NOT NULL,
    "Index" integer NOT NULL,
    "Start" double precision NOT NULL,
    "End" double precision NOT NULL,
    "Transcript" text,
    "OcrText" text,
    "Caption" text,
    "Keywords" text[] NOT NULL,
    "KeyframePath" character varying(400),
    "KeyframeTime" double precision,
    CONSTRAINT "PK_Segments" PRIMARY KEY ("VideoId", "Index"),
    CONSTRAINT "FK_Segments_Videos_VideoId" FOREIGN KEY ("VideoId") REFERENCES "Videos" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Jobs_Status_RunAfter" ON "Jobs" ("Status", "RunAfter");

CREATE INDEX "IX_Jobs_VideoId" ON "Jobs" ("VideoId");

CREATE INDEX "IX_Videos_CategoryId_CreatedAt" ON "Videos" ("CategoryId", "CreatedAt");

CREATE INDEX "IX_Videos_CreatedAt" ON "Videos" ("CreatedAt");

CREATE INDEX "IX_Videos_UploaderId" ON "Videos" ("UploaderId");
