-- Veeky schema 5 (Postgres): each segment's text and image embedding (float32 little-endian bytes) and the model that
-- produced it, so a search index rebuild restores semantic and image search without calling the models.

ALTER TABLE "Segments" ADD COLUMN "TextEmbedding" bytea;
ALTER TABLE "Segments" ADD COLUMN "TextEmbeddingModel" character varying(200);
ALTER TABLE "Segments" ADD COLUMN "ImageEmbedding" bytea;
ALTER TABLE "Segments" ADD COLUMN "ImageEmbeddingModel" character varying(200);
