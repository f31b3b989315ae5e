#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! Integration tests of the web checks against local servers on 127.0.0.1.

mod active;
mod docs;
mod guard;
mod passive;
mod secrets;
mod support;
mod tls;
