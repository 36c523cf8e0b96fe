-- Issue 11: audits are stored as fields since V30/V31; the API's JSON answer and step list go.
ALTER TABLE balancer_audit DROP COLUMN answer;
ALTER TABLE balancer_audit DROP COLUMN steps;
