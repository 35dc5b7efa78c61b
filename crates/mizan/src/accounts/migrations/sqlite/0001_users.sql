CREATE TABLE mizan_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    password TEXT NOT NULL,
    is_staff BOOLEAN NOT NULL DEFAULT FALSE,
    is_superuser BOOLEAN NOT NULL DEFAULT FALSE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    last_login TEXT
);
-- Usernames are ASCII (checked in Rust), so lower() is a full case fold here.
CREATE UNIQUE INDEX mizan_users_username_key ON mizan_users (lower(username));
