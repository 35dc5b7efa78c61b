CREATE TABLE mizan_sessions (
    id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX mizan_sessions_expires_at ON mizan_sessions (expires_at);
