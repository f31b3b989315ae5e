-- A project's web target is `target_url` (the name the API uses), the URL the `web` scan kind
-- checks. Keep in step with the other backend's 0002.
ALTER TABLE projects RENAME COLUMN web_url TO target_url;
