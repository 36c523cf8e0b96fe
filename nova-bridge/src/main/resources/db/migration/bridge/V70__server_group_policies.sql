-- Server groups with a rule (Nova's server groups, by uuid): the policy of a group VMs name in
-- cluster_vm.group_name. A group name without a row here is a communicating group (no rule).
CREATE TABLE cluster_server_group (
    name   VARCHAR(255) NOT NULL PRIMARY KEY,
    policy VARCHAR(32)  NOT NULL
);
