-- The knowledge engine: chatbot documents and links as embedded chunks, and chat sessions.

-- One row per chunk of a source (an Odoo chatbot.document or chatbot.link). A source's
-- rows are replaced together; `embedded_at` is when the vector was computed, carried
-- over when an unchanged chunk (same content_hash and model) reuses its vector.
CREATE TABLE chunk_embeddings (
    id bigserial PRIMARY KEY,
    chatbot_id bigint NOT NULL,
    source_type text NOT NULL CHECK (source_type IN ('document', 'link')),
    source_id bigint NOT NULL,
    chunk_index integer NOT NULL CHECK (chunk_index >= 0),
    content text NOT NULL,
    content_hash text NOT NULL,
    embedding vector({{embedding_dimensions}}) NOT NULL,
    embedding_model text NOT NULL,
    source_url text,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    embedded_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- an Odoo record id names one source, whichever chatbot it belongs to today
    UNIQUE (source_type, source_id, chunk_index)
);
-- Vectors inline, not TOASTed: a chatbot small enough for the planner to sort its rows
-- exactly reads them 2 to 3 times faster (measured: tests/bench/knowledge.py). A row
-- still fits a page up to 2,000 dimensions, which is also HNSW's limit.
ALTER TABLE chunk_embeddings ALTER COLUMN embedding SET STORAGE PLAIN;
CREATE INDEX chunk_embeddings_chatbot ON chunk_embeddings (chatbot_id, source_type, source_id);
-- Nearest chunks by cosine distance (`embedding <=> query`).
CREATE INDEX chunk_embeddings_hnsw ON chunk_embeddings USING hnsw (embedding vector_cosine_ops);

-- Conversations of a chatbot; removed with the chatbot (cleanup).
CREATE TABLE chat_sessions (
    id bigserial PRIMARY KEY,
    chatbot_id bigint NOT NULL,
    session_key text NOT NULL,
    messages jsonb NOT NULL DEFAULT '[]'::jsonb,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (chatbot_id, session_key)
);
