-- Veeky schema 5 (Sqlite): each segment's text and image embedding (float32 little-endian bytes) and the model that
-- produced it, so a search index rebuild restores semantic and image search without calling the models.

ALTER TABLE "Segments" ADD COLUMN "TextEmbedding" BLOB NULL;
ALTER TABLE "Segments" ADD COLUMN "TextEmbeddingModel" TEXT NULL;
ALTER TABLE "Segments" ADD COLUMN "ImageEmbedding" BLOB NULL;
ALTER TABLE "Segments" ADD COLUMN "ImageEmbeddingModel" TEXT NULL;
