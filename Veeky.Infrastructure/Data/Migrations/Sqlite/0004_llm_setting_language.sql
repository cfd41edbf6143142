-- Veeky schema 4 (Sqlite): the language of the speech for the transcription setting (null: detected).

ALTER TABLE "LlmSettings" ADD COLUMN "Language" TEXT NULL;
