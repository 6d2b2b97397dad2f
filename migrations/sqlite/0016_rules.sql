-- Automation rules (F8): when an event happens and every condition holds, the steps run
-- in order, each a job of kind 'rule' in the one queue, tried by the rule's policy.
CREATE TABLE rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 0,
    -- 0..99; 99 runs first.
    priority BIGINT NOT NULL DEFAULT 50,
    -- The trigger's kind (domain::rules::Trigger::code), and the whole trigger as JSON.
    event TEXT NOT NULL,
    trigger_json TEXT NOT NULL,
    conditions TEXT NOT NULL DEFAULT '[]',
    steps TEXT NOT NULL DEFAULT '[]',
    policy TEXT NOT NULL DEFAULT '{}',
    -- The template it was made from ('01'..'04'), if any.
    template TEXT,
    -- Failures for good in a row; at the policy's limit the rule pauses itself.
    fails_in_row BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX rules_workspace ON rules(workspace_id, active, event);

-- A rule's step in the queue names its rule and its order, so the queue lists them and
-- a rule's runs are found. States now also include 'skipped' (ended by a person).
ALTER TABLE jobs ADD COLUMN rule_id BIGINT;
ALTER TABLE jobs ADD COLUMN order_id BIGINT;
CREATE INDEX jobs_rule ON jobs(workspace_id, kind, state);
