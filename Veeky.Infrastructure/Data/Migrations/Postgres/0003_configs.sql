-- Veeky schema 3 (Postgres): admin-edited settings, prompt templates and the model of each LLM purpose.

CREATE TABLE "Configs" (
    "Key" character varying(200) NOT NULL,
    "Value" text NOT NULL,
    CONSTRAINT "PK_Configs" PRIMARY KEY ("Key")
);

CREATE TABLE "LlmSettings" (
    "Purpose" character varying(32) NOT NULL,
    "Model" character varying(200) NOT NULL,
    "Temperature" double precision NOT NULL,
    "MaxTokens" integer NOT NULL,
    "Endpoint" character varying(400),
    CONSTRAINT "PK_LlmSettings" PRIMARY KEY ("Purpose")
);

CREATE TABLE "Prompts" (
    "Name" character varying(100) NOT NULL,
    "Template" text NOT NULL,
    "Description" character varying(400),
    CONSTRAINT "PK_Prompts" PRIMARY KEY ("Name")
);
