//! Accounts tests (filled in below).
