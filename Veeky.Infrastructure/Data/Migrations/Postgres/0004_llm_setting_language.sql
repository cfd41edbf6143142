-- Veeky schema 4 (Postgres): the language of the speech for the transcription setting (null: detected).

ALTER TABLE "LlmSettings" ADD COLUMN "Language" character varying(8);
