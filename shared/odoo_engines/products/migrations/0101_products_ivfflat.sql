-- Product search moves from HNSW to IVFFlat (see products/vector_index.py for why).
-- The IVFFlat index needs vectors to learn its lists: the next sync builds it.
DROP INDEX IF EXISTS products_embedding_hnsw;
