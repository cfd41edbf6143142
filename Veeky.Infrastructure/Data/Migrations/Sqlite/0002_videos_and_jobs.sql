-- Veeky schema 2 (Sqlite): videos, their segments and the durable indexing job queue.

CREATE TABLE "Videos" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Videos" PRIMARY KEY,
    "Title" TEXT NOT NULL,
    "Description" TEXT NULL,
    "Keywords" TEXT NOT NULL,
    "CategoryId" TEXT NOT NULL,
    "UploaderId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Stage" TEXT NOT NULL,
    "Progress" REAL NOT NULL,
    "Error" TEXT NULL,
    "StoragePath" TEXT NOT NULL,
    "OriginalFileName" TEXT NULL,
    "ContentType" TEXT NULL,
    "SizeBytes" INTEGER NOT NULL,
    "Sha256" TEXT NOT NULL,
    "DurationSeconds" REAL NULL,
    "Width" INTEGER NULL,
    "Height" INTEGER NULL,
    "FrameRate" REAL NULL,
    "HasAudio" INTEGER NOT NULL,
    "TranscriptJson" TEXT NULL,
    "Summary" TEXT NULL,
    "SegmentCount" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_Videos_AspNetUsers_UploaderId" FOREIGN KEY ("UploaderId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Videos_Categories_CategoryId" FOREIGN KEY ("CategoryId") REFERENCES "Categories" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Jobs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Jobs" PRIMARY KEY,
    "VideoId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "RunAfter" INTEGER NOT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseExpiresAt" INTEGER NULL,
    "CompletedStages" TEXT NOT NULL,
    "Error" TEXT NULL,
    "TraceParent" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_Jobs_Videos_VideoId" FOREIGN KEY ("VideoId") REFERENCES "Videos" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Segments" (
    "VideoId" TEXT NOT NULL,
    "Index" INTEGER NOT NULL,
    "Start" REAL NOT NULL,
    "End" REAL NOT NULL,
    "Transcript" TEXT NULL,
    "OcrText" TEXT NULL,
    "Caption" TEXT NULL,
    "Keywords" TEXT NOT NULL,
    "KeyframePath" TEXT NULL,
    "KeyframeTime" REAL NULL,
    CONSTRAINT "PK_Segments" PRIMARY KEY ("VideoId", "Index"),
    CONSTRAINT "FK_Segments_Videos_VideoId" FOREIGN KEY ("VideoId") REFERENCES "Videos" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Jobs_Status_RunAfter" ON "Jobs" ("Status", "RunAfter");

CREATE INDEX "IX_Jobs_VideoId" ON "Jobs" ("VideoId");

CREATE INDEX "IX_Videos_CategoryId_CreatedAt" ON "Videos" ("CategoryId", "CreatedAt");

CREATE INDEX "IX_Videos_CreatedAt" ON "Videos" ("CreatedAt");

CREATE INDEX "IX_Videos_UploaderId" ON "Videos" ("UploaderId");
