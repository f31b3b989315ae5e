//! Parsers for the headers and bodies the checks read. Public so the fuzz targets can reach
//! them; every parser is total (no input makes it panic).

pub mod cookie;
pub mod csp;
pub mod hsts;
pub mod html;
pub mod referrer;
pub mod tls;
