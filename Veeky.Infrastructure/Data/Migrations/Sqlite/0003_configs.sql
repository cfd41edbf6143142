-- Veeky schema 3 (Sqlite): admin-edited settings, prompt templates and the model of each LLM purpose.

CREATE TABLE "Configs" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_Configs" PRIMARY KEY,
    "Value" TEXT NOT NULL
);

CREATE TABLE "LlmSettings" (
    "Purpose" TEXT NOT NULL CONSTRAINT "PK_LlmSettings" PRIMARY KEY,
    "Model" TEXT NOT NULL,
    "Temperature" REAL NOT NULL,
    "MaxTokens" INTEGER NOT NULL,
    "Endpoint" TEXT NULL
);

CREATE TABLE "Prompts" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_Prompts" PRIMARY KEY,
    "Template" TEXT NOT NULL,
    "Description" TEXT NULL
);
