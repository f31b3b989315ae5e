//! The built-in rule files, embedded at compile time. The list is explicit (and a test checks it
//! against the `rules/` directory) so the build stays simple and the load order deterministic.

pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("rules/ai.toml", include_str!("../rules/ai.toml")),
    ("rules/alibaba.toml", include_str!("../rules/alibaba.toml")),
    (
        "rules/anthropic.toml",
        include_str!("../rules/anthropic.toml"),
    ),
    (
        "rules/atlassian.toml",
        include_str!("../rules/atlassian.toml"),
    ),
    ("rules/aws.toml", include_str!("../rules/aws.toml")),
    ("rules/azure.toml", include_str!("../rules/azure.toml")),
    ("rules/chat.toml", include_str!("../rules/chat.toml")),
    (
        "rules/cloudflare.toml",
        include_str!("../rules/cloudflare.toml"),
    ),
    (
        "rules/databases.toml",
        include_str!("../rules/databases.toml"),
    ),
    ("rules/datadog.toml", include_str!("../rules/datadog.toml")),
    (
        "rules/devtools.toml",
        include_str!("../rules/devtools.toml"),
    ),
    (
        "rules/digitalocean.toml",
        include_str!("../rules/digitalocean.toml"),
    ),
    ("rules/email.toml", include_str!("../rules/email.toml")),
    ("rules/gcp.toml", include_str!("../rules/gcp.toml")),
    ("rules/generic.toml", include_str!("../rules/generic.toml")),
    ("rules/github.toml", include_str!("../rules/github.toml")),
    ("rules/gitlab.toml", include_str!("../rules/gitlab.toml")),
    (
        "rules/hashicorp.toml",
        include_str!("../rules/hashicorp.toml"),
    ),
    ("rules/heroku.toml", include_str!("../rules/heroku.toml")),
    ("rules/hosting.toml", include_str!("../rules/hosting.toml")),
    ("rules/ibm.toml", include_str!("../rules/ibm.toml")),
    (
        "rules/newrelic.toml",
        include_str!("../rules/newrelic.toml"),
    ),
    ("rules/npm.toml", include_str!("../rules/npm.toml")),
    ("rules/openai.toml", include_str!("../rules/openai.toml")),
    (
        "rules/payments.toml",
        include_str!("../rules/payments.toml"),
    ),
    ("rules/paypal.toml", include_str!("../rules/paypal.toml")),
    (
        "rules/private-keys.toml",
        include_str!("../rules/private-keys.toml"),
    ),
    ("rules/pypi.toml", include_str!("../rules/pypi.toml")),
    (
        "rules/registries.toml",
        include_str!("../rules/registries.toml"),
    ),
    ("rules/saas.toml", include_str!("../rules/saas.toml")),
    ("rules/sentry.toml", include_str!("../rules/sentry.toml")),
    ("rules/shopify.toml", include_str!("../rules/shopify.toml")),
    ("rules/slack.toml", include_str!("../rules/slack.toml")),
    ("rules/square.toml", include_str!("../rules/square.toml")),
    ("rules/stripe.toml", include_str!("../rules/stripe.toml")),
    (
        "rules/supabase.toml",
        include_str!("../rules/supabase.toml"),
    ),
    ("rules/twilio.toml", include_str!("../rules/twilio.toml")),
];
