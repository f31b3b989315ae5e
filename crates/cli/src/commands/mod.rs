pub(crate) mod db;
pub(crate) mod scan;
pub(crate) mod server;
pub(crate) mod test_rules;
pub(crate) mod web;
