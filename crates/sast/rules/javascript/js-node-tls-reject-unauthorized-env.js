// ruleid: js-node-tls-reject-unauthorized-env
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
// ok: js-node-tls-reject-unauthorized-env
process.env.NODE_EXTRA_CA_CERTS = "/etc/ssl/ca.pem";
